// Disarming uploads for reviewers (issue 13 item 7): a copy of an applicant's PDF or Office file
// without anything that runs, opens or fetches by itself, whose visible pages stay as they are.
// Unlike the cleaner (publication: removes metadata, comments, hidden content), the disarmed copy
// keeps what a reviewer should read: annotations, form fields, metadata, layers.
#pragma once

#include <filesystem>
#include <map>
#include <qpdf/QPDF.hh>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::inspect {

// One kind of thing a disarmed copy no longer has, and how many there were.
struct DisarmCount {
  std::string kind;   // stable, for the audit entry: "javascript", "embedded_file", "macro", ...
  std::string label;  // plain Japanese, for the secretariat's view: 「JavaScript」
  int count = 0;
};

struct DisarmReport {
  std::vector<DisarmCount> removed;  // in the order of the kind table, only kinds with count > 0
  // The extension the copy should carry: ".pdf", ".docx", ".xlsx", ".pptx" (a .docm loses its
  // macros and becomes a .docx, which Word refuses to open under the old extension).
  std::string extension;

  int total() const;
  int count(std::string_view kind) const;
  // {"javascript":2,"embedded_file":1} for an audit entry's detail (Boost.JSON).
  std::string to_json() const;
  // 「JavaScript 2 件、添付ファイル 1 件」, or 「取り除くものはありませんでした」.
  std::string to_text() const;
};

// The kinds, in order: (kind, label). Tests walk this table.
struct DisarmKind {
  std::string_view kind;
  std::string_view label;
};
std::span<const DisarmKind> disarm_kinds();
// The report for counts by kind (kinds missing from the table are dropped).
DisarmReport make_disarm_report(const std::map<std::string, int>& counts, std::string extension);

// Writes a disarmed copy of the PDF `in` to `out` (through a temporary file beside it, then
// renamed). Removed: JavaScript (document name tree, /JS, JavaScript actions), actions that run
// or leave the document (Launch, SubmitForm, ImportData, GoToR, GoToE, Rendition, Movie, Sound,
// RichMediaExecute ...) in /OpenAction, /AA, /A and /Next chains, links other than http, https
// and mailto (javascript:, file:, UNC paths), embedded files (the name tree, /AF, every /EF),
// FileAttachment, RichMedia, 3D, Screen, Movie and Sound annotations, XFA. Kept: plain GoTo and
// Named actions, web links, every other annotation, form fields, layers, metadata; stream data
// is copied as it is, so pages draw exactly as before. Earlier revisions (incremental updates)
// are not carried over. Fails for a file that is not a PDF, needs a password, or holds a
// decompression bomb (the copy would still be one), and when `out` cannot be written or is `in`.
[[nodiscard]] Result<DisarmReport> disarm_pdf(const std::filesystem::path& in,
                                              const std::filesystem::path& out);

// The same for an OOXML package (DOCX, XLSX, PPTX and their macro and template variants):
// macros and ActiveX controls, embedded objects, external links and external relationships other
// than hyperlinks, DTDs, and parts no relationship reaches are removed; everything else stays
// (comments, tracked changes, hidden sheets and properties are for the cleaner). Fails for a
// ZIP bomb or a file that is not an Office package.
[[nodiscard]] Result<DisarmReport> disarm_office(const std::filesystem::path& in,
                                                 const std::filesystem::path& out);

// What disarm_pdf does to an open document before writing it, for callers that write it
// themselves (the cleaner runs it first, so its copy is never less disarmed). Returns the counts
// by kind. Throws what qpdf throws for a damaged file.
std::map<std::string, int> disarm_document(QPDF& pdf);

// Opens `bytes` (the file `in`) into `pdf` for a caller that rewrites it, refusing what a
// rewrite must not touch: a decompression bomb (the writer would inflate it), a password, a
// damaged file. `rewrite` names the work in the messages (「無害化」, 「クリーニング」), e.g.
// 「パスワードで保護された PDF は無害化できません」.
[[nodiscard]] Result<void> open_pdf_to_rewrite(QPDF& pdf, const std::string& in, const std::string& bytes,
                                               std::string_view rewrite);

// disarm_pdf or disarm_office by the file's first bytes; CSV and other types fail.
[[nodiscard]] Result<DisarmReport> disarm_file(const std::filesystem::path& in,
                                               const std::filesystem::path& out);

}  // namespace kakehashi::inspect

// The package build (issue 25, R6): from the chapters and the modules' live data to the public
// and non-public sets, proven by the gate before anything is left in the output folder.
//
// OUT/public/       one PDF (the report with 様式3 as its last chapter; parts when split) and
//                   図表データ/ with the data of every figure and table that is ours (CSV + XLSX,
//                   named after the caption).
// OUT/non-public/   the report as DOCX and HTML, all figure data, the raw data exports,
//                   様式1_ (DOCX), 様式2_ and 様式3_ (XLSX).
// OUT/manifest.json and OUT/manifest.xlsx: every file with its SHA-256, set and source.
// Everything is written to a temporary folder beside OUT and renamed at the end.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "base/date.h"
#include "base/date.h"
#include "base/result.h"
#include "docs/chart.h"
#include "db/database.h"
#include "package/model.h"

namespace kakehashi::package {

// 様式1's configuration: prescribed headings and layout. The default (form1_default_config())
// is the current ministry template; a JSON file can replace it.
struct Form1Config {
  std::vector<std::string> headings;
  double margin_mm = 25;
  std::string font = "IPAex明朝";
  double font_pt = 10.5;
  int max_pages = 3;
};
std::string form1_default_config();  // the JSON text of the default
[[nodiscard]] Result<Form1Config> parse_form1_config(std::string_view json);

// 様式2's configuration: its columns, each a value the build knows about a public PDF ("field")
// or a fixed text ("text"). The default (form2_default_config()) has the fields known
// (DOMAIN-NOTES §1.2); a JSON file can replace it.
struct Form2Column {
  std::string header;
  std::string field;  // title, file, pages, chars, bytes, issuer, published, fiscal_year; "" for text
  std::string text;
};
struct Form2Config {
  std::vector<Form2Column> columns;
};
std::string form2_default_config();  // the JSON text of the default
[[nodiscard]] Result<Form2Config> parse_form2_config(std::string_view json);
// One public PDF as 様式2 describes it.
struct Form2Row {
  std::string title, file, issuer;
  std::int64_t pages = 0, chars = 0, bytes = 0;
  Date made_on;
};
docs::DataTable form2_table(const Form2Config& config, const std::vector<Form2Row>& pdfs);

// The configuration files a server's builds use when they exist (the browser has no other way
// to pass them): ROOT/form1.json and ROOT/form2.json beside the builds' folders.
[[nodiscard]] Result<Form1Config> form1_config_in(const std::filesystem::path& root);
[[nodiscard]] Result<Form2Config> form2_config_in(const std::filesystem::path& root);

struct BuildOptions {
  std::filesystem::path out_dir;  // must not exist or be empty
  Limits limits;
  Form1Config form1;
  Form2Config form2;  // empty: form2_default_config()
  bool measure_form1 = true;  // LibreOffice counts 様式1's pages (tests of other rules skip it)
  std::string report_title = "未来の教室 実証事業 成果報告書";
  std::string issuer = "未来の教室 事務局";
};

struct ManifestEntry {
  std::string path;  // relative to OUT, "public/…"
  std::string set;   // public / non-public
  std::string source;  // what made it: 報告書, 図表データ, 様式1 …
  std::string sha256;
  std::uint64_t bytes = 0;
};

struct BuildSummary {
  std::vector<ManifestEntry> files;
  int public_parts = 0;
  int report_pages = 0;
  int form1_pages = 0;
  int third_party = 0;
  int final_reports = 0;         // accepted operators' final reports in non-public/成果報告書/
  int public_final_reports = 0;  // of them, also in public/成果報告書/ (consented, passed the gate)
  // What the secretariat should know but does not stop the build: chapters without an approved
  // version (left out), chapters built from an older approved version, final reports kept out of
  // public/ by the gate (with the keys an exception would take).
  std::vector<std::string> warnings;
};

using ProgressFn = std::function<void(const std::string&)>;

// Runs the build as `who` (the data each module gives is what `who` reaches: run it as the
// secretariat). `build_id` is the row queued or started for it (its progress is recorded by the
// caller through `progress`). Errors: kInvalidArgument for content (a chapter that fails to render
// names the chapter and line; a figure without data; the gate's findings; 様式1 over 3 pages),
// kConflict when OUT is not empty, kUnavailable when LibreOffice or the fonts are missing.
[[nodiscard]] Result<BuildSummary> build_package(db::Database& database, const auth::Principal& who,
                                                 const BuildOptions& options, Instant now,
                                                 const ProgressFn& progress = {});

// Starts a build row for the command line (kManagePackage; refused with kConflict while another
// runs), then finishes it as built or failed.
[[nodiscard]] Result<std::int64_t> start_build(db::Database& database, const auth::Principal& who,
                                               const std::string& out_dir, Instant now);
[[nodiscard]] Result<void> record_progress(db::Database& database, std::int64_t build_id, const std::string& step,
                                           Instant now);
[[nodiscard]] Result<void> finish_build(db::Database& database, std::int64_t build_id,
                                        const Result<BuildSummary>& outcome, Instant now);
// The server's background task: claims the oldest queued build and runs it to its end.
[[nodiscard]] Result<void> run_queued_build(db::Database& database, Instant now,
                                            const std::function<Instant()>& clock);

// A written chapter's rights lines: `権利: 第三者 / 出典: … / 権利者: …` right after a
// `Figure:` or `Table:` caption marks that figure or table as third-party material.
struct Rights {
  std::string caption;
  std::string source;
  std::string holder;
};
struct RightsSplit {
  std::string markdown;  // the rights lines replaced by a printed 出典 line
  std::vector<Rights> rights;
  std::vector<std::string> errors;  // "12行目: …"
};
RightsSplit extract_rights(const std::string& markdown);

// Pages of a PDF counted by poppler, and the 1-based page whose text (spaces removed) contains
// `needle` (spaces removed), searching from `from_page`; 0 when absent.
[[nodiscard]] Result<std::vector<std::string>> pdf_page_texts(const std::string& pdf_bytes);
int page_of(const std::vector<std::string>& pages, const std::string& needle, int from_page = 1);

// 様式1 as DOCX (text only: headings and paragraphs, layout from `config`).
[[nodiscard]] Result<std::string> form1_docx(const Form1Config& config,
                                             const std::vector<std::pair<std::string, std::string>>& sections);

// Pages LibreOffice gives the DOCX (headless conversion to PDF in a temporary folder).
[[nodiscard]] Result<int> libreoffice_pages(const std::string& docx_bytes);

}  // namespace kakehashi::package

// Personal-information detectors for Japanese text: e-mail, telephone, 〒 address, My Number,
// passport, names from a deny list, and corporate numbers (public, reported as info).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "inspect/finding.h"

namespace kakehashi::inspect {

// One match in a text: the finding code and the matched text as written (for masking).
struct PiiMatch {
  std::string code;   // "pii.phone", ...
  std::string value;  // the normalised match, e.g. "090-1234-5678"
  size_t begin = 0;   // byte offset in the normalised text
};

// Names that must never be published (the information-handler roster feeds this). Names are
// compared after NFKC and without spaces, so "山田　太郎" matches "山田太郎".
class DenyList {
 public:
  DenyList() = default;
  explicit DenyList(std::vector<std::string> names);
  // Reads one name a line (UTF-8 or Shift_JIS); blank lines and lines starting with # skipped.
  [[nodiscard]] static Result<DenyList> read_file(const std::string& path);
  bool empty() const { return names_.empty(); }
  const std::vector<std::string>& normalized_names() const { return names_; }

 private:
  std::vector<std::string> names_;  // NFKC, spaces removed, at least 2 code points
};

// Normalises text for the detectors: NFKC (full-width digits and letters to ASCII), every
// hyphen or dash variant between digits to '-', and ideographic spaces to ' '.
std::string normalize_for_pii(std::string_view utf8);

// True when NFKC leaves `cp` unchanged whatever surrounds it: ASCII, the ideographic comma and
// full stop, hiragana, katakana (not the iteration marks that decompose, nor the combining
// voicing marks), the prolonged sound mark and CJK unified ideographs. Text made only of these
// skips ICU (issue 23 item 8: NFKC was a sixth of a CSV's inspection); pii_test.cpp checks every
// one of them against ICU.
bool nfkc_stable_code_point(char32_t cp);

// Finds personal information in `utf8`. Hard negatives (dates, amounts, document numbers,
// postcodes without an address) are not reported. `context` is text read just before (a
// column header, the label cell to the left): it can make a match (個人番号 before 12 digits)
// but is never reported itself.
std::vector<PiiMatch> find_pii(std::string_view utf8, const DenyList& deny_list,
                               std::string_view context = {});

// Individual number (12 digits) check digit, per 総務省令第85号 第5条.
bool valid_my_number(std::string_view twelve_digits);
// Corporate number (13 digits, first digit the check digit), per 財務省令第70号 第2条.
bool valid_corporate_number(std::string_view thirteen_digits);

// Masks a value for the report so the finding itself does not republish it:
// "090-1234-5678" -> "090-****-**78", "taro@example.jp" -> "ta**@example.jp".
std::string mask_value(std::string_view code, std::string_view value);

// Collects the text of one file: counts its characters and turns PII matches into findings,
// at most kMaxPerCode per code (then one pii.truncated finding says how many were left out).
class TextScanner {
 public:
  static constexpr int kMaxPerCode = 50;

  explicit TextScanner(const DenyList& deny_list) : deny_list_(deny_list) {}
  // Scans `utf8` found at `location`. `visible` text counts towards Stats::chars.
  void scan(std::string_view utf8, std::string_view location, bool visible = true,
            std::string_view context = {});
  // The same, for callers whose location costs a string to build: `location()` is called only
  // when something is found (a sheet's cells are many, findings few).
  template <class Location>
  void scan_at(std::string_view utf8, const Location& location, bool visible = true,
               std::string_view context = {}) {
    if (visible) count(utf8);
    if (utf8.empty()) return;
    auto matches = find_pii(utf8, deny_list_, context);
    if (!matches.empty()) record(matches, location());
  }
  std::uint64_t chars() const { return chars_; }
  // Moves the collected findings out (call once, at the end).
  void take_findings(std::vector<Finding>& out);

 private:
  void count(std::string_view utf8);
  void record(const std::vector<PiiMatch>& matches, std::string_view location);

  const DenyList& deny_list_;
  std::uint64_t chars_ = 0;
  std::vector<Finding> findings_;
  std::map<std::string, int> per_code_;
};

}  // namespace kakehashi::inspect

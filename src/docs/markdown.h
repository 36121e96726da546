// Markdown (GitHub dialect, via cmark-gfm) to the document model.
#pragma once

#include <filesystem>
#include <string_view>

#include "base/result.h"
#include "docs/model.h"

namespace kakehashi::docs {

// Input limit: a report chapter set is a few MB; anything larger is refused.
inline constexpr size_t kMaxMarkdownBytes = 32 * 1024 * 1024;

// Reads `markdown` into a Document.
// - An optional front matter block (`---` lines around `title:`, `subtitle:`, `issuer:`,
//   `date:`) fills the metadata; unknown keys are refused so a stray `author:` never leaks.
// - `#` is a chapter (第N章), `##` N.M, `###` N.M.K; deeper headings are unnumbered.
// - A ```chart block holds a chart spec as JSON; a table or figure may be followed by a
//   paragraph `Table: 見出し` / `Figure: 見出し` giving its caption. Figures and tables are
//   numbered per chapter (図2-1, 表3-4). An image alone in a paragraph is a figure; its path is
//   resolved against `base_dir`.
// - A paragraph `\newpage` or a thematic break (`---`) is a page break.
// Errors name the line: "12行目: グラフ指定に \"series\"（系列の配列）がありません".
[[nodiscard]] Result<Document> parse_markdown(std::string_view markdown,
                                              const std::filesystem::path& base_dir = {});

}  // namespace kakehashi::docs

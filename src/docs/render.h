// One call from a Markdown file to every output: PDF, HTML, DOCX and the figure data folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "docs/docx.h"
#include "docs/model.h"

namespace kakehashi::docs {

struct RenderOptions {
  std::string title;  // overrides the front matter title when not empty
  bool pdf = true, html = true, docx = true, figures = true;
  DocxOptions docx_options;  // the optional character grid of the DOCX
};

struct RenderedFiles {
  std::vector<std::filesystem::path> files;  // every file written, in writing order
  int docx_estimated_pages = 0;
};

// Reads INPUT.md and writes DIR/<stem>.pdf, .html, .docx and DIR/figures/ (one CSV and one
// XLSX per figure and table). DIR is created if missing; existing files of the same names are
// replaced. Errors from the input name its line.
[[nodiscard]] Result<RenderedFiles> render_markdown_file(const std::filesystem::path& input,
                                                         const std::filesystem::path& out_dir,
                                                         const RenderOptions& options);

// Writes `bytes` to `path` (truncating). Fails with a Japanese message naming the path.
[[nodiscard]] Result<void> write_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace kakehashi::docs

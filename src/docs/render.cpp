#include "docs/render.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "docs/docx.h"
#include "docs/figures.h"
#include "docs/html.h"
#include "docs/markdown.h"
#include "docs/pdf.h"

namespace kakehashi::docs {

Result<void> write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    return fail(Error::unavailable(fmt::format("ファイルを書き込めません: {}", path.string())));
  return {};
}

Result<RenderedFiles> render_markdown_file(const std::filesystem::path& input,
                                           const std::filesystem::path& out_dir,
                                           const RenderOptions& options) {
  std::ifstream in(input, std::ios::binary);
  if (!in) return fail(Error::invalid(fmt::format("入力ファイルを開けません: {}", input.string())));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto doc = parse_markdown(buffer.str(), input.parent_path());
  if (!doc)
    return fail(Error{doc.error().code,
                      fmt::format("{}: {}", input.filename().string(), doc.error().message)});
  if (!options.title.empty()) doc->meta.title = options.title;
  if (doc->meta.title.empty()) doc->meta.title = input.stem().string();

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec)
    return fail(Error::unavailable(fmt::format("出力フォルダを作れません: {}", out_dir.string())));
  RenderedFiles written;
  std::string stem = input.stem().string();
  auto emit = [&](const std::filesystem::path& path, Result<std::string> bytes) -> Result<void> {
    if (!bytes) return fail(bytes.error());
    if (auto w = write_file(path, *bytes); !w) return w;
    written.files.push_back(path);
    return {};
  };
  if (options.pdf) {
    if (auto r = emit(out_dir / (stem + ".pdf"), render_pdf(*doc)); !r) return fail(r.error());
  }
  if (options.html) {
    if (auto r = emit(out_dir / (stem + ".html"), render_html(*doc)); !r) return fail(r.error());
  }
  if (options.docx) {
    auto docx = render_docx(*doc, options.docx_options);
    if (!docx) return fail(docx.error());
    if (auto r = emit(out_dir / (stem + ".docx"), std::move(docx->bytes)); !r)
      return fail(r.error());
    written.docx_estimated_pages = docx->estimated_pages;
  }
  if (options.figures) {
    auto files = write_figure_files(*doc, out_dir / "figures");
    if (!files) return fail(files.error());
    written.files.insert(written.files.end(), files->begin(), files->end());
  }
  return written;
}

}  // namespace kakehashi::docs

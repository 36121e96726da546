// Fuzz target for the Markdown reader (front matter, chart JSON, tables, footnotes) and the
// renderers that are cheap enough to run per input: HTML, the figure data tables and the
// DOCX page estimate. Any input must give a document or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "docs/docx.h"
#include "docs/figures.h"
#include "docs/html.h"
#include "docs/markdown.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = kakehashi::docs::parse_markdown(text);
  if (!doc) return 0;
  (void)kakehashi::docs::render_html(*doc);
  for (auto& figure : kakehashi::docs::figure_data(*doc))
    (void)kakehashi::docs::figure_csv(figure.table);
  (void)kakehashi::docs::estimate_pages(*doc, 40, 36);
  (void)kakehashi::docs::parse_chart_spec(text);
  return 0;
}

// `kakehashi doc render`: Markdown to PDF, HTML, DOCX and figure data.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/common.h"
#include "docs/render.h"

namespace kakehashi::cli {

void register_doc(CLI::App& app) {
  CLI::App* doc = app.add_subcommand("doc", "文書（報告書など）を作成する");
  doc->require_subcommand(1);
  CLI::App* render = doc->add_subcommand(
      "render", "Markdown から PDF・HTML・DOCX と図表データ（CSV・XLSX）を作成する");
  struct Args {
    std::string input, out, title, grid;
    std::vector<std::string> formats{"pdf", "html", "docx", "figures"};
  };
  auto args = std::make_shared<Args>();
  render->add_option("INPUT", args->input, "入力の Markdown ファイル")->required();
  render->add_option("--out", args->out, "出力先フォルダ")->required();
  render->add_option("--title", args->title, "文書の題名（Markdown の title より優先）");
  render->add_option("--grid", args->grid,
                     "DOCX の文字数と行数（例: 40x36）。指定すると推定ページ数を表示する");
  render
      ->add_option("--formats", args->formats,
                   "作成するもの（pdf, html, docx, figures。既定はすべて）")
      ->delimiter(',')
      ->check(CLI::IsMember({"pdf", "html", "docx", "figures"}));
  render->callback([args] {
    docs::RenderOptions options;
    options.title = args->title;
    auto wanted = [&](const char* f) {
      return std::find(args->formats.begin(), args->formats.end(), f) != args->formats.end();
    };
    options.pdf = wanted("pdf");
    options.html = wanted("html");
    options.docx = wanted("docx");
    options.figures = wanted("figures");
    if (!args->grid.empty()) {
      int chars = 0, lines = 0;
      char x = 0, rest = 0;
      if (std::sscanf(args->grid.c_str(), "%d%c%d%c", &chars, &x, &lines, &rest) != 3 ||
          (x != 'x' && x != 'X'))
        throw CommandError(kExitUsage,
                           "--grid は「文字数x行数」の形で指定してください（例: 40x36）");
      options.docx_options = {chars, lines};
    }
    auto written = docs::render_markdown_file(args->input, args->out, options);
    if (!written) {
      throw CommandError(
          written.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitEnvironment,
          written.error().message);
    }
    for (auto& path : written->files) std::cout << path.string() << "\n";
    if (!args->grid.empty())
      std::cout << "DOCX の推定ページ数: " << written->docx_estimated_pages << "\n";
  });
}

}  // namespace kakehashi::cli

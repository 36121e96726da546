// `kakehashi doc render`: Markdown to PDF, HTML, DOCX and figure data.
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
    std::string input, out, title;
  };
  auto args = std::make_shared<Args>();
  render->add_option("INPUT", args->input, "入力の Markdown ファイル")->required();
  render->add_option("--out", args->out, "出力先フォルダ")->required();
  render->add_option("--title", args->title, "文書の題名（Markdown の title より優先）");
  render->callback([args] {
    docs::RenderOptions options;
    options.title = args->title;
    auto written = docs::render_markdown_file(args->input, args->out, options);
    if (!written) {
      throw CommandError(written.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitEnvironment,
                         written.error().message);
    }
    for (auto& path : written->files) std::cout << path.string() << "\n";
  });
}

}  // namespace kakehashi::cli

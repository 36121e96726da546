// 様式1 (the outline): its configuration, the DOCX (text only) and LibreOffice's page count;
// the PDF page texts the build reads page numbers from; the ZIP of a set.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <poppler-document.h>
#include <poppler-page.h>
#include <random>
#include <sstream>

#include "base/text.h"
#include "docs/zip.h"
#include "package/build.h"

extern char** environ;

namespace kakehashi::package {
namespace {

std::string xml(std::string_view text) { return text::xml_escape(text); }

}  // namespace

std::string form1_default_config() {
  return R"({
  "headings": ["事業の目的", "事業の内容", "事業の成果", "今後の課題"],
  "margin_mm": 25,
  "font": "IPAex明朝",
  "font_pt": 10.5,
  "max_pages": 3
}
)";
}

Result<Form1Config> parse_form1_config(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return fail(Error::invalid("様式1の設定ファイルが JSON のオブジェクトではありません。"));
  const auto& o = value.as_object();
  Form1Config c;
  if (auto* h = o.if_contains("headings"); h && h->is_array()) {
    for (const auto& item : h->as_array())
      if (item.is_string()) c.headings.emplace_back(item.as_string());
  }
  if (c.headings.empty()) return fail(Error::invalid("様式1の設定に見出し（headings）がありません。"));
  auto number = [&](const char* key, double fallback) {
    if (auto* v = o.if_contains(key); v && v->is_number()) return v->to_number<double>();
    return fallback;
  };
  c.margin_mm = number("margin_mm", c.margin_mm);
  c.font_pt = number("font_pt", c.font_pt);
  c.max_pages = int(number("max_pages", c.max_pages));
  if (auto* f = o.if_contains("font"); f && f->is_string()) c.font = std::string(f->as_string());
  if (c.margin_mm < 5 || c.margin_mm > 50 || c.font_pt < 6 || c.font_pt > 24 || c.max_pages < 1)
    return fail(Error::invalid("様式1の設定の余白・文字の大きさ・ページ数が範囲外です。"));
  return c;
}

Result<std::string> form1_docx(const Form1Config& config, const std::vector<std::pair<std::string, std::string>>& sections) {
  int margin = int(config.margin_mm * 56.7);  // twentieths of a point per mm
  int size = int(config.font_pt * 2);         // half-points
  std::string font = xml(config.font);
  std::string body;
  auto para = [&](std::string_view text, bool heading) {
    body += "<w:p>";
    if (heading) body += "<w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>";
    body += "<w:r><w:t xml:space=\"preserve\">" + xml(text) + "</w:t></w:r></w:p>";
  };
  for (const auto& [heading, text] : sections) {
    para(heading, true);
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      std::string_view t = text::trim(line);
      if (!t.empty()) para(t, false);
    }
  }
  std::string document =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" +
      body +
      fmt::format("<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"{0}\" w:right=\"{0}\" "
                  "w:bottom=\"{0}\" w:left=\"{0}\" w:header=\"0\" w:footer=\"0\" w:gutter=\"0\"/></w:sectPr>",
                  margin) +
      "</w:body></w:document>";
  std::string rfonts = fmt::format("<w:rFonts w:ascii=\"{0}\" w:eastAsia=\"{0}\" w:hAnsi=\"{0}\"/>", font);
  std::string styles =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:docDefaults><w:rPrDefault><w:rPr>" + rfonts + fmt::format("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", size) +
      "<w:lang w:val=\"ja-JP\" w:eastAsia=\"ja-JP\"/></w:rPr></w:rPrDefault></w:docDefaults>"
      "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
      "<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/><w:outlineLvl w:val=\"0\"/></w:pPr>"
      "<w:rPr><w:b/></w:rPr></w:style></w:styles>";
  std::vector<std::pair<std::string, std::string>> parts = {
      {"[Content_Types].xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
       "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
       "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
       "<Override PartName=\"/word/document.xml\" "
       "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
       "<Override PartName=\"/word/styles.xml\" "
       "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
       "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
       "</Types>"},
      {"_rels/.rels",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
       "Target=\"word/document.xml\"/>"
       "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
       "Target=\"docProps/core.xml\"/></Relationships>"},
      {"word/_rels/document.xml.rels",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
       "Target=\"styles.xml\"/></Relationships>"},
      {"docProps/core.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>様式1</dc:title></cp:coreProperties>"},
      {"word/document.xml", document},
      {"word/styles.xml", styles},
  };
  return docs::zip_in_memory(parts, "DOCX");
}

namespace {

// Runs argv without a shell, output to /dev/null; the exit code.
Result<int> run_quiet(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return fail(Error::unavailable(fmt::format("{} を起動できません（LibreOffice が必要です）。", args[0])));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return fail(Error::internal("子プロセスを待てません。"));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<int> libreoffice_pages(const std::string& docx_bytes) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() / fmt::format("kk-form1-{}-{:x}", ::getpid(), rd());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(Error::internal("一時フォルダを作れません。"));
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() {
      std::error_code e;
      std::filesystem::remove_all(p, e);
    }
  } cleanup{dir};
  {
    std::ofstream out(dir / "form1.docx", std::ios::binary);
    out << docx_bytes;
  }
  auto rc = run_quiet({"soffice", "--headless", "--norestore", "-env:UserInstallation=file://" + (dir / "profile").string(),
                       "--convert-to", "pdf", "--outdir", dir.string(), (dir / "form1.docx").string()});
  if (!rc) return fail(rc.error());
  if (*rc != 0 || !std::filesystem::exists(dir / "form1.pdf"))
    return fail(Error::unavailable("LibreOffice で様式1を PDF に変換できませんでした。"));
  auto pages = pdf_page_texts(read_all(dir / "form1.pdf"));
  if (!pages) return fail(pages.error());
  return int(pages->size());
}

Result<std::vector<std::string>> pdf_page_texts(const std::string& pdf_bytes) {
  std::vector<char> data(pdf_bytes.begin(), pdf_bytes.end());
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_data(&data));
  if (!doc) return fail(Error::internal("作成した PDF を読めません。"));
  std::vector<std::string> out;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      out.emplace_back();
      continue;
    }
    auto bytes = page->text().to_utf8();
    out.emplace_back(bytes.begin(), bytes.end());
  }
  return out;
}

namespace {
std::string squeeze(std::string_view s) {
  std::string out;
  for (auto cp : text::code_points(s)) {
    if (cp == " " || cp == "\n" || cp == "\r" || cp == "\t" || cp == "\xE3\x80\x80" || cp == "\f") continue;
    out += cp;
  }
  return out;
}
}  // namespace

int page_of(const std::vector<std::string>& pages, const std::string& needle, int from_page) {
  std::string n = squeeze(needle);
  for (int i = std::max(1, from_page); i <= int(pages.size()); ++i)
    if (squeeze(pages[std::size_t(i - 1)]).find(n) != std::string::npos) return i;
  return 0;
}

}  // namespace kakehashi::package

// The package build: chapters → one document → public PDF(s) split by the limits, figure data,
// forms, raw data, manifest; the gate; the rename at the end.
#include "package/build.h"

#include <unistd.h>

#include <fmt/format.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "auth/password.h"
#include "auth/policy.h"
#include "auth/users.h"
#include "base/text.h"
#include "docs/docx.h"
#include "docs/figures.h"
#include "docs/html.h"
#include "docs/markdown.h"
#include "docs/pdf.h"
#include "docs/render.h"
#include "docs/xml_text.h"
#include "inspect/inspector.h"
#include "geo/geo.h"
#include "package/final_reports.h"
#include "package/generate.h"
#include "package/service.h"
#include "package/store.h"

namespace fs = std::filesystem;

namespace kakehashi::package {

RightsSplit extract_rights(const std::string& markdown) {
  RightsSplit out;
  std::istringstream in(markdown);
  std::string line, last_caption;
  int no = 0;
  while (std::getline(in, line)) {
    ++no;
    std::string_view t = text::trim(line);
    if (t.starts_with("Figure:") || t.starts_with("Table:")) {
      last_caption = std::string(text::trim(t.substr(t.find(':') + 1)));
    } else if (t.starts_with("権利:") || t.starts_with("権利：")) {
      std::string_view rest = t.substr(t.starts_with("権利:") ? std::string_view("権利:").size() : std::string_view("権利：").size());
      Rights r;
      bool third = false;
      std::size_t start = 0;
      std::string body(rest);
      while (start <= body.size()) {
        std::size_t slash = body.find(" / ", start);
        std::string field(text::trim(std::string_view(body).substr(start, slash == std::string::npos ? std::string::npos : slash - start)));
        if (field == "第三者") third = true;
        else if (field.starts_with("出典:") || field.starts_with("出典：")) r.source = std::string(text::trim(field.substr(field.find(field.starts_with("出典:") ? ":" : "：") + (field.starts_with("出典:") ? 1 : 3))));
        else if (field.starts_with("権利者:") || field.starts_with("権利者：")) r.holder = std::string(text::trim(field.substr(field.find(field.starts_with("権利者:") ? ":" : "：") + (field.starts_with("権利者:") ? 1 : 3))));
        if (slash == std::string::npos) break;
        start = slash + 3;
      }
      if (last_caption.empty()) {
        out.errors.push_back(fmt::format("{}行目: 権利の行は図表の見出し（Figure: / Table:）の直後に書いてください。", no));
      } else if (!third || r.source.empty() || r.holder.empty()) {
        out.errors.push_back(fmt::format("{}行目: 権利の行は「権利: 第三者 / 出典: … / 権利者: …」の形で書いてください。", no));
      } else {
        r.caption = last_caption;
        out.markdown += fmt::format("\n出典：{}（権利者：{}）\n", r.source, r.holder);
        out.rights.push_back(std::move(r));
      }
      last_caption.clear();
      continue;
    } else if (!t.empty()) {
      last_caption.clear();
    }
    out.markdown += line + "\n";
  }
  return out;
}

namespace {

struct Piece {
  std::string title;
  std::string markdown;  // starts with its "# " heading(s)
};

std::string hex(std::string_view raw) {
  std::string out;
  for (unsigned char c : raw) out += fmt::format("{:02x}", c);
  return out;
}

Result<void> write_bytes(const fs::path& path, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  return docs::write_file(path, bytes);
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Measure {
  std::int64_t bytes = 0, pages = 0, chars = 0;
  std::vector<std::string> texts;
};

Result<Measure> measure(const std::string& pdf) {
  auto texts = pdf_page_texts(pdf);
  if (!texts) return fail(texts.error());
  Measure m;
  m.bytes = std::int64_t(pdf.size());
  m.pages = std::int64_t(texts->size());
  for (const auto& t : *texts)
    for (auto cp : text::code_points(t))
      if (cp != " " && cp != "\n" && cp != "\r" && cp != "\t" && cp != "\f") ++m.chars;
  m.texts = std::move(*texts);
  return m;
}

bool fits(const Measure& m, const Limits& l) {
  return m.bytes <= l.max_bytes && m.pages <= l.max_pages && m.chars <= l.max_chars;
}

std::string overrun(const Measure& m, const Limits& l) {
  std::vector<std::string> over;
  if (m.bytes > l.max_bytes) over.push_back(fmt::format("{} バイト（上限 {}）", m.bytes, l.max_bytes));
  if (m.pages > l.max_pages) over.push_back(fmt::format("{} ページ（上限 {}）", m.pages, l.max_pages));
  if (m.chars > l.max_chars) over.push_back(fmt::format("{} 文字（上限 {}）", m.chars, l.max_chars));
  std::string s;
  for (const auto& o : over) s += (s.empty() ? "" : "、") + o;
  return s;
}

// Chapter starts (indices of level-1 headings) in the document's blocks.
std::vector<std::size_t> chapter_starts(const docs::Document& doc) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < doc.blocks.size(); ++i)
    if (auto* h = std::get_if<docs::Heading>(&doc.blocks[i]); h && h->level == 1) out.push_back(i);
  return out;
}

docs::Document slice(const docs::Document& doc, const std::vector<std::size_t>& starts, std::size_t from, std::size_t to,
                     bool last, const std::string& part_label) {
  docs::Document d;
  d.meta = doc.meta;
  if (!part_label.empty()) d.meta.subtitle = doc.meta.subtitle.empty() ? part_label : doc.meta.subtitle + " " + part_label;
  std::size_t begin = from == 0 ? 0 : starts[from];
  std::size_t end = to >= starts.size() ? doc.blocks.size() : starts[to];
  d.blocks.assign(doc.blocks.begin() + std::ptrdiff_t(begin), doc.blocks.begin() + std::ptrdiff_t(end));
  if (last) d.footnotes = doc.footnotes;
  return d;
}

std::string heading_text(const docs::Document& doc, std::size_t block) {
  auto* h = std::get_if<docs::Heading>(&doc.blocks[block]);
  return h ? h->number + "「" + docs::plain_text(h->text) + "」" : "";
}

// The parts' chapter ranges: [from, to) per part, greedily as many chapters as fit.
Result<std::vector<std::pair<std::size_t, std::size_t>>> split_parts(const docs::Document& doc,
                                                                     const std::vector<std::size_t>& starts,
                                                                     const Limits& limits, const ProgressFn& progress) {
  std::size_t n = starts.size();
  auto whole = docs::render_pdf(doc);
  if (!whole) return fail(whole.error());
  auto m = measure(*whole);
  if (!m) return fail(m.error());
  if (fits(*m, limits)) return std::vector<std::pair<std::size_t, std::size_t>>{{0, n}};
  if (progress) progress(fmt::format("上限（{}）を超えるため章の区切りで分割しています", overrun(*m, limits)));
  std::vector<std::pair<std::size_t, std::size_t>> parts;
  std::size_t from = 0;
  while (from < n) {
    std::size_t to = from + 1;
    auto one = docs::render_pdf(slice(doc, starts, from, to, to == n, "その99"));
    if (!one) return fail(one.error());
    auto mo = measure(*one);
    if (!mo) return fail(mo.error());
    if (!fits(*mo, limits))
      return fail(Error::invalid(fmt::format("{}だけで上限を超えるため、章の区切りでは分割できません: {}",
                                             heading_text(doc, starts[from]), overrun(*mo, limits))));
    while (to < n) {
      auto more = docs::render_pdf(slice(doc, starts, from, to + 1, to + 1 == n, "その99"));
      if (!more) return fail(more.error());
      auto mm = measure(*more);
      if (!mm) return fail(mm.error());
      if (!fits(*mm, limits)) break;
      ++to;
    }
    parts.emplace_back(from, to);
    from = to;
  }
  return parts;
}

// The page number printed in the footer of PDF page `index` (1-based): the body is numbered
// from its first page, after the cover and the contents. The footer is the last line of a
// page's text; when it is not a number, the offset of the nearest numbered page is used.
int printed_page(const std::vector<std::string>& texts, int index) {
  auto footer = [&](int i) -> int {
    std::string t(text::trim(texts[std::size_t(i - 1)]));
    auto nl = t.find_last_of('\n');
    std::string last(text::trim(nl == std::string::npos ? t : t.substr(nl + 1)));
    if (last.empty() || last.size() > 5 || !std::ranges::all_of(last, [](char c) { return c >= '0' && c <= '9'; })) return 0;
    return std::stoi(last);
  };
  if (int n = footer(index); n > 0) return n;
  for (int i = index + 1; i <= int(texts.size()); ++i)
    if (int n = footer(i); n > 0) return index - (i - n);
  return index;
}

struct ThirdParty {
  std::string number, caption, source, holder;
  std::string file;  // the public PDF it is in
  int page = 0;
};

std::string form3_markdown(const std::vector<ThirdParty>& items, const std::string& title, bool with_files) {
  std::string md = "# 様式3 二次利用未承諾リスト\n\n";
  md += "報告書の題名：" + title + "\n\n";
  if (items.empty()) return md + "第三者が権利を持つ図表はありません。\n\n";
  md += "次の図表は第三者が権利を持つため、二次利用（政府標準利用規約による利用）の対象外です。\n\n";
  md += with_files ? "| ファイル | 頁 | 図表番号 | タイトル | 出典 | 権利者 |\n|---|--:|---|---|---|---|\n"
                   : "| 頁 | 図表番号 | タイトル | 出典 | 権利者 |\n|--:|---|---|---|---|\n";
  for (const auto& t : items) {
    std::string page = t.page > 0 ? std::to_string(t.page) : "—";
    if (with_files) md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", t.file, page, t.number, t.caption, t.source, t.holder);
    else md += fmt::format("| {} | {} | {} | {} | {} |\n", page, t.number, t.caption, t.source, t.holder);
  }
  return md + "\nTable: 二次利用未承諾の図表\n\n";
}

Result<void> check_empty_or_absent(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(out, ec)) return {};
  if (!fs::is_directory(out, ec) || !fs::is_empty(out, ec))
    return fail(Error::conflict(fmt::format("出力先「{}」が空のフォルダではありません。別のフォルダを指定してください。", out.string())));
  return {};
}

docs::FigureData table_of(std::string number, std::string caption, docs::DataTable table) {
  return docs::FigureData{std::move(number), std::move(caption), std::move(table)};
}

}  // namespace

Result<BuildSummary> build_package(db::Database& database, const auth::Principal& who, const BuildOptions& options,
                                   Instant now, const ProgressFn& progress) {
  auto step = [&](const std::string& s) {
    if (progress) progress(s);
  };
  const fs::path out = fs::absolute(options.out_dir).lexically_normal();
  if (auto r = check_empty_or_absent(out); !r) return fail(r.error());
  if (!auth::allowed(who, auth::Action::kManagePackage))
    return fail(Error::denied("報告書パッケージを作成する権限がありません。"));

  // 1. Everything read in one snapshot.
  step("章とデータを集めています");
  std::vector<Piece> pieces;
  std::vector<Rights> rights;
  std::vector<std::pair<std::string, std::string>> form1_sections;
  generate::People people;
  std::vector<generate::RawTable> raw;
  std::set<std::string> accepted;
  std::vector<std::string> problems;
  std::vector<std::string> warnings;
  std::vector<AcceptedFinalReport> final_reports;
  {
    auto tx = database.begin(db::TxMode::kRead);
    if (!tx) return fail(tx.error());
    auto chapters = store::chapters(**tx);
    if (!chapters) return fail(chapters.error());
    for (auto c : *chapters) {
      if (c.source == "form1") {
        // 様式1 must exist, so its newest text is used; the build says when it is not approved.
        if (c.review_status != ReviewStatus::kApproved)
          warnings.push_back(fmt::format("様式1（概要）は{}です（第{}版を使いました）。", review_status_label(c.review_status), c.version));
        // 様式1's text: the "## 見出し" sections of this chapter.
        std::map<std::string, std::string> sections;
        std::string current;
        std::istringstream in(c.markdown);
        std::string line;
        while (std::getline(in, line)) {
          if (line.starts_with("## ")) current = std::string(text::trim(line.substr(3)));
          else if (!current.empty()) sections[current] += line + "\n";
        }
        for (const auto& h : options.form1.headings) {
          auto it = sections.find(h);
          if (it == sections.end() || text::trim(it->second).empty())
            problems.push_back(fmt::format("様式1の見出し「{}」の本文がありません（章「{}」に「## {}」の節を書いてください）。", h, c.title, h));
          else form1_sections.emplace_back(h, it->second);
        }
        continue;
      }
      if (!c.included) continue;
      std::string md;
      if (c.kind == ChapterKind::kWritten) {
        // The last approved version; a chapter never approved stays out (listed as a warning).
        auto approved = approved_text(**tx, c);
        if (!approved) return fail(approved.error());
        if (!*approved) {
          warnings.push_back(fmt::format("章「{}」は確認済みの版がないため、報告書に含めませんでした（{}・第{}版）。", c.title,
                                         review_status_label(c.review_status), c.version));
          continue;
        }
        if ((*approved)->version != c.version)
          warnings.push_back(fmt::format("章「{}」は確認済みの第{}版を使いました（第{}版は{}）。", (*approved)->title,
                                         (*approved)->version, c.version, review_status_label(c.review_status)));
        c.title = (*approved)->title;
        c.markdown = (*approved)->markdown;
        auto split = extract_rights(c.markdown);
        for (const auto& e : split.errors) problems.push_back(fmt::format("章「{}」: {}", c.title, e));
        for (auto& r : split.rights) rights.push_back(r);
        md = "# " + c.title + "\n\n" + split.markdown;
      } else {
        auto g = generate::chapter(**tx, who, c.source, c.title, now);
        if (!g) return fail(g.error());
        md = *g;
      }
      // A chapter that fails to render names the chapter and line.
      if (auto parsed = docs::parse_markdown(md); !parsed) {
        std::string message = parsed.error().message;
        int at = 0;
        if (c.kind == ChapterKind::kWritten && std::sscanf(message.c_str(), "%d行目", &at) == 1 && at > 2)
          message = fmt::format("{}{}", at - 2, message.substr(message.find("行目")));
        problems.push_back(fmt::format("章「{}」: {}", c.title, message));
        continue;
      }
      pieces.push_back({c.title, md + "\n"});
    }
    auto p = generate::people(**tx, who);
    if (!p) return fail(p.error());
    people = std::move(*p);
    auto r = generate::raw_tables(**tx, who);
    if (!r) return fail(r.error());
    raw = std::move(*r);
    auto ex = store::exceptions(**tx);
    if (!ex) return fail(ex.error());
    for (const auto& e : *ex) accepted.insert(e.finding_key);
    auto reports = accepted_final_reports(**tx);
    if (!reports) return fail(reports.error());
    final_reports = std::move(*reports);
  }
  if (form1_sections.empty() && problems.empty())
    problems.push_back("様式1の章（様式1（概要））がありません。");
  if (pieces.empty()) problems.push_back("報告書に含める章がありません。");
  if (!problems.empty()) {
    std::string list;
    for (const auto& p : problems) list += "\n・" + p;
    return fail(Error::invalid("報告書パッケージを作成できません:" + list));
  }

  // 2. One document; figures and their data checked before anything is rendered.
  std::string front = fmt::format("---\ntitle: {}\nissuer: {}\ndate: {}年{}月\n---\n\n", options.report_title,
                                  options.issuer, tokyo_date(now).year(), tokyo_date(now).month());
  std::string body;
  for (const auto& p : pieces) body += p.markdown;
  auto draft = docs::parse_markdown(front + body + form3_markdown({}, options.report_title, false));
  if (!draft) return fail(Error::invalid("報告書を組み立てられません: " + draft.error().message));
  std::vector<ThirdParty> third;
  std::set<std::string> third_numbers;
  {
    std::vector<std::string> errors;
    for (const auto& b : draft->blocks)
      if (auto* f = std::get_if<docs::Figure>(&b); f && !f->chart)
        errors.push_back(fmt::format("{}「{}」にデータがありません（図はグラフで描き、データを添えてください）。", f->number, f->caption));
    auto figures = docs::figure_data(*draft);
    for (const auto& f : figures) {
      if (docs::figure_file_stem(f) != f.number + "_" + f.caption)
        errors.push_back(fmt::format("{}「{}」の見出しはファイル名にできない文字（\\ / : * ? \" < > |）を含むか長すぎます。見出しを直してください。",
                                     f.number, f.caption));
    }
    for (const auto& r : rights) {
      auto it = std::ranges::find_if(figures, [&](const auto& f) { return f.caption == r.caption; });
      if (it == figures.end()) {
        errors.push_back(fmt::format("権利の行の図表「{}」が見つかりません。", r.caption));
        continue;
      }
      third.push_back({it->number, it->caption, r.source, r.holder, "", 0});
      third_numbers.insert(it->number);
    }
    if (!errors.empty()) {
      std::string list;
      for (const auto& e : errors) list += "\n・" + e;
      return fail(Error::invalid("図表に問題があります:" + list));
    }
  }

  // 3. The public PDF(s): split by the limits, then 様式3's page numbers from the rendered pages.
  step("報告書の PDF を作成しています");
  auto starts = chapter_starts(*draft);
  auto parts = split_parts(*draft, starts, options.limits, progress);
  if (!parts) return fail(parts.error());
  const bool split = parts->size() > 1;
  const std::string stem = docs::safe_file_stem(options.report_title);
  auto part_name = [&](std::size_t i) {
    return split ? fmt::format("{}_その{}.pdf", stem, i + 1) : stem + ".pdf";
  };
  auto part_label = [&](std::size_t i) { return split ? fmt::format("（その{}）", i + 1) : std::string(); };
  std::vector<std::string> pdfs;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    auto pdf = docs::render_pdf(slice(*draft, starts, (*parts)[i].first, (*parts)[i].second, i + 1 == parts->size(), part_label(i)));
    if (!pdf) return fail(pdf.error());
    pdfs.push_back(std::move(*pdf));
  }
  if (!third.empty()) {
    for (auto& t : third) {
      for (std::size_t i = 0; i < pdfs.size() && t.page == 0; ++i) {
        auto texts = pdf_page_texts(pdfs[i]);
        if (!texts) return fail(texts.error());
        // Skip the cover and contents: the caption is printed "図2-1　見出し" beside its figure.
        int page = page_of(*texts, t.number + t.caption, 2);
        if (page > 0) {
          t.page = printed_page(*texts, page);
          t.file = part_name(i);
        }
      }
    }
  }
  auto final_doc = docs::parse_markdown(front + body + form3_markdown(third, options.report_title, split));
  if (!final_doc) return fail(Error::invalid("報告書を組み立てられません: " + final_doc.error().message));
  auto final_starts = chapter_starts(*final_doc);
  pdfs.clear();
  std::vector<Measure> measures;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    step(fmt::format("PDF {} / {} を作成しています", i + 1, parts->size()));
    auto pdf = docs::render_pdf(
        slice(*final_doc, final_starts, (*parts)[i].first, (*parts)[i].second, i + 1 == parts->size(), part_label(i)));
    if (!pdf) return fail(pdf.error());
    auto m = measure(*pdf);
    if (!m) return fail(m.error());
    if (!fits(*m, options.limits))
      return fail(Error::invalid(fmt::format("{} が上限を超えました: {}", part_name(i), overrun(*m, options.limits))));
    pdfs.push_back(std::move(*pdf));
    measures.push_back(std::move(*m));
  }

  // 4. Write everything into a temporary folder beside OUT.
  step("ファイルを書き出しています");
  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  const fs::path tmp = out.parent_path() / fmt::format(".{}.tmp-{}", out.filename().string(), ::getpid());
  fs::remove_all(tmp, ec);
  struct Cleanup {
    fs::path p;
    bool keep = false;
    ~Cleanup() {
      std::error_code e;
      if (!keep) fs::remove_all(p, e);
    }
  } cleanup{tmp};
  BuildSummary summary;
  std::map<std::string, std::string> sources;  // relative path → source
  auto put = [&](const std::string& rel, std::string_view bytes, const std::string& source) -> Result<void> {
    if (auto r = write_bytes(tmp / rel, bytes); !r) return r;
    sources[rel] = source;
    return {};
  };
  for (std::size_t i = 0; i < pdfs.size(); ++i)
    if (auto r = put("public/" + part_name(i), pdfs[i], "報告書（PDF、様式3を含む）"); !r) return fail(r.error());
  // Figure data: all in non-public; ours also in public/図表データ.
  auto figures = docs::figure_data(*final_doc);
  std::string form3_chapter_number = final_starts.empty() ? "" : std::get<docs::Heading>(final_doc->blocks[final_starts.back()]).number;
  std::set<std::string> public_data;  // relative paths
  for (const auto& f : figures) {
    // The 様式3 list itself is not a figure of the report.
    if (!third.empty() && f.caption == "二次利用未承諾の図表") continue;
    std::string fstem = docs::figure_file_stem(f);
    std::string csv = docs::figure_csv(f.table);
    for (const char* set : {"non-public", "public"}) {
      bool is_public = std::string_view(set) == "public";
      if (is_public && third_numbers.contains(f.number)) continue;
      std::string dir = std::string(set) + "/図表データ/";
      if (auto r = put(dir + fstem + ".csv", csv, "図表データ"); !r) return fail(r.error());
      if (auto r = docs::write_figure_xlsx(f, tmp / (dir + fstem + ".xlsx")); !r) return fail(r.error());
      sources[dir + fstem + ".xlsx"] = "図表データ";
      if (is_public) {
        public_data.insert(dir + fstem + ".csv");
        public_data.insert(dir + fstem + ".xlsx");
      }
    }
  }
  // The machine-readable report.
  auto docx = docs::render_docx(*final_doc);
  if (!docx) return fail(docx.error());
  if (auto r = put("non-public/" + stem + ".docx", docx->bytes, "報告書（DOCX）"); !r) return fail(r.error());
  if (auto r = put("non-public/" + stem + ".html", docs::render_html(*final_doc), "報告書（HTML）"); !r) return fail(r.error());
  for (const auto& t : raw) {
    std::string rel = "non-public/生データ/" + docs::safe_file_stem(t.name);
    if (auto r = put(rel + ".csv", docs::figure_csv(t.table), "生データ"); !r) return fail(r.error());
    if (auto r = docs::write_figure_xlsx(table_of("生データ", t.name, t.table), tmp / (rel + ".xlsx")); !r) return fail(r.error());
    sources[rel + ".xlsx"] = "生データ";
  }
  // The operators' accepted final reports: all in non-public; in public where the operator
  // consented and the file passes the gate (else a warning with the findings' keys).
  std::vector<std::string> names = people.names;
  for (const auto& e : people.emails) names.push_back(e);
  inspect::InspectOptions inspect_options{inspect::DenyList(names)};
  std::set<std::string> prechecked;  // public files the gate already passed
  std::vector<Form2Row> public_report_rows;  // 様式2 has a row for every public PDF (specification §5)
  for (const auto& fr : final_reports) {
    std::string blocks;
    for (const auto& b : fr.report.block_ids) {
      const auto* block = geo::find_block(b);
      blocks += (blocks.empty() ? "" : "・") + (block ? std::string(block->name) : b);
    }
    std::string ext = fr.file.content_type == "application/pdf" ? ".pdf" : ".docx";
    std::string name = "成果報告書/" + docs::safe_file_stem(fmt::format("成果報告書_{}_{}", blocks, fr.report.operator_name)) + ext;
    if (auto r = put("non-public/" + name, fr.content, "成果報告書"); !r) return fail(r.error());
    ++summary.final_reports;
    if (!fr.report.consent) continue;
    if (ext != ".pdf") {
      // The public deliverables are PDFs (one 様式2 row each): a Word report stays non-public.
      warnings.push_back(fmt::format("「{}」の成果報告書は Word のファイルのため、非公開にだけ入れました（公開するには PDF で提出してもらってください）",
                                     fr.report.operator_name));
      continue;
    }
    step(fmt::format("成果報告書を検査しています（{}）", fr.report.operator_name));
    if (auto r = put("public/" + name, fr.content, "成果報告書（公開の同意あり）"); !r) return fail(r.error());
    auto report = inspect::inspect_file((tmp / ("public/" + name)).string(), inspect_options);
    if (!report) return fail(report.error());
    std::vector<std::string> held;
    for (const auto& f : report->findings) {
      if (f.severity != inspect::Severity::kError) continue;
      std::string key = name + "|" + f.code + "|" + f.location;
      if (accepted.contains(key)) continue;
      held.push_back(fmt::format("{}（{}）[{}]", f.message, f.location, key));
    }
    if (!held.empty()) {
      std::error_code rm;
      fs::remove(tmp / ("public/" + name), rm);
      sources.erase("public/" + name);
      std::string list;
      for (const auto& h : held) list += (list.empty() ? "" : "、") + h;
      warnings.push_back(fmt::format("「{}」の成果報告書は公開の検査で問題が見つかったため、非公開にだけ入れました: {}",
                                     fr.report.operator_name, list));
      continue;
    }
    public_data.insert("public/" + name);
    prechecked.insert("public/" + name);
    ++summary.public_final_reports;
    auto measured = measure(fr.content);
    if (!measured) return fail(measured.error());
    public_report_rows.push_back({fmt::format("成果報告書（{}）", fr.report.operator_name), name, fr.report.operator_name,
                                  measured->pages, measured->chars, measured->bytes, tokyo_date(now)});
  }

  // 様式1.
  step("様式1を作成しています");
  auto form1 = form1_docx(options.form1, form1_sections);
  if (!form1) return fail(form1.error());
  if (options.measure_form1) {
    auto pages = libreoffice_pages(*form1);
    if (!pages) return fail(pages.error());
    summary.form1_pages = *pages;
    if (*pages > options.form1.max_pages)
      return fail(Error::invalid(fmt::format("様式1が {} ページあり、上限の {} ページを {} ページ超えています。様式1（概要）の本文を短くしてください。",
                                             *pages, options.form1.max_pages, *pages - options.form1.max_pages)));
  }
  if (auto r = put("non-public/様式1_概要.docx", *form1, "様式1"); !r) return fail(r.error());
  // 様式2: one row per public PDF, in the configured columns.
  {
    Form2Config form2 = options.form2;
    if (form2.columns.empty()) {
      auto defaults = parse_form2_config(form2_default_config());
      if (!defaults) return fail(defaults.error());
      form2 = *defaults;
    }
    std::vector<Form2Row> rows;
    for (std::size_t i = 0; i < pdfs.size(); ++i) {
      rows.push_back({options.report_title + part_label(i), part_name(i), options.issuer, measures[i].pages,
                      measures[i].chars, measures[i].bytes, tokyo_date(now)});
    }
    rows.insert(rows.end(), public_report_rows.begin(), public_report_rows.end());
    if (auto r = docs::write_figure_xlsx(table_of("様式2", "書誌情報", form2_table(form2, rows)),
                                         tmp / "non-public/様式2_書誌情報.xlsx");
        !r)
      return fail(r.error());
    sources["non-public/様式2_書誌情報.xlsx"] = "様式2";
  }
  // 様式3.
  {
    docs::DataTable t{{"ファイル", "頁", "図表番号", "タイトル", "出典", "権利者"}, {}};
    for (const auto& x : third)
      t.rows.push_back({{x.file, 0, false}, {std::to_string(x.page), double(x.page), true}, {x.number, 0, false},
                        {x.caption, 0, false}, {x.source, 0, false}, {x.holder, 0, false}});
    if (auto r = docs::write_figure_xlsx(table_of("様式3", "二次利用未承諾リスト", t),
                                         tmp / "non-public/様式3_二次利用未承諾リスト.xlsx");
        !r)
      return fail(r.error());
    sources["non-public/様式3_二次利用未承諾リスト.xlsx"] = "様式3";
  }

  // 5. The gate: the inspector on every public file, the people the database holds, the hashes.
  std::vector<std::string> findings;
  std::map<std::string, std::string> hashes;  // rel → sha256
  for (const auto& [rel, source] : sources) {
    std::string bytes = read_all(tmp / rel);
    hashes[rel] = hex(auth::sha256(bytes));
    summary.files.push_back({rel, rel.starts_with("public/") ? "public" : "non-public", source, hashes[rel], bytes.size()});
  }
  int inspected = 0, public_count = 0;
  for (const auto& [rel, source] : sources) public_count += rel.starts_with("public/") && !prechecked.contains(rel) ? 1 : 0;
  for (const auto& [rel, source] : sources) {
    if (!rel.starts_with("public/") || prechecked.contains(rel)) continue;
    step(fmt::format("公開ファイルを検査しています（{} / {}）", ++inspected, public_count));
    auto report = inspect::inspect_file((tmp / rel).string(), inspect_options);
    if (!report) return fail(report.error());
    for (const auto& f : report->findings) {
      if (f.severity != inspect::Severity::kError) continue;
      std::string key = rel.substr(7) + "|" + f.code + "|" + f.location;
      if (accepted.contains(key)) continue;
      findings.push_back(fmt::format("{}: {}（{}）[{}]", rel.substr(7), f.message, f.location, key));
    }
  }
  {
    std::map<std::string, std::string> private_hashes;
    for (const auto& [rel, h] : hashes)
      // A public file's own non-public copy (figure data, a consented final report) is the same
      // file in both sets by design.
      if (rel.starts_with("non-public/") && !public_data.contains("public/" + rel.substr(std::string("non-public/").size())))
        private_hashes[h] = rel;
    for (const auto& [rel, h] : hashes)
      if (rel.starts_with("public/") && private_hashes.contains(h))
        findings.push_back(fmt::format("{}: 非公開のファイル「{}」と同じ内容です", rel.substr(7), private_hashes[h]));
  }
  if (!findings.empty()) {
    std::string list;
    for (const auto& f : findings) list += "\n・" + f;
    return fail(Error::invalid(fmt::format("公開ファイルに {} 件の問題が見つかったため、パッケージを作成しませんでした:{}", findings.size(), list)));
  }

  // 6. The manifest, then the rename.
  {
    boost::json::array files;
    docs::DataTable t{{"パス", "区分", "内容", "SHA-256", "バイト数"}, {}};
    for (const auto& f : summary.files) {
      files.push_back({{"path", f.path}, {"set", f.set}, {"source", f.source}, {"sha256", f.sha256}, {"bytes", f.bytes}});
      t.rows.push_back({{f.path, 0, false}, {f.set == "public" ? "公開" : "非公開", 0, false}, {f.source, 0, false},
                        {f.sha256, 0, false}, {std::to_string(f.bytes), double(f.bytes), true}});
    }
    boost::json::object manifest{{"title", options.report_title}, {"built_at", iso_utc(now)}, {"files", files}};
    if (auto r = write_bytes(tmp / "manifest.json", boost::json::serialize(manifest) + "\n"); !r) return fail(r.error());
    if (auto r = docs::write_figure_xlsx(table_of("manifest", "ファイル一覧", t), tmp / "manifest.xlsx"); !r)
      return fail(r.error());
  }
  if (auto r = check_empty_or_absent(out); !r) return fail(r.error());
  fs::remove(out, ec);
  fs::rename(tmp, out, ec);
  if (ec) return fail(Error::internal(fmt::format("出力先「{}」に移せません: {}", out.string(), ec.message())));
  cleanup.keep = true;
  summary.public_parts = int(pdfs.size());
  for (const auto& m : measures) summary.report_pages += int(m.pages);
  summary.third_party = int(third.size());
  summary.warnings = std::move(warnings);
  step("完了しました");
  return summary;
}

Result<std::int64_t> start_build(db::Database& database, const auth::Principal& who, const std::string& out_dir,
                                 Instant now) {
  return database.transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
    auto id = queue_build(tx, who, out_dir, now);
    if (!id) return fail(id.error());
    if (auto r = store::claim_build(tx, *id, this_worker(), iso_utc(now)); !r) return fail(r.error());
    return *id;
  });
}

Result<void> record_progress(db::Database& database, std::int64_t build_id, const std::string& step, Instant now) {
  return database.transact<void>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<void> {
    return store::set_build_progress(tx, build_id, step, iso_utc(now));
  });
}

Result<void> finish_build(db::Database& database, std::int64_t build_id, const Result<BuildSummary>& outcome, Instant now) {
  return database.transact<void>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<void> {
    auto b = store::build(tx, build_id);
    if (!b) return fail(b.error());
    if (!*b) return fail(Error::not_found("パッケージが見つかりません。"));
    Build build = **b;
    build.finished_at = iso_utc(now);
    if (outcome) {
      build.status = BuildStatus::kBuilt;
      build.progress = "完了";
      build.message = fmt::format("公開 PDF {} 件（{} ページ）、第三者の図表 {} 件、成果報告書 {} 件（うち公開 {} 件）",
                                  outcome->public_parts, outcome->report_pages, outcome->third_party, outcome->final_reports,
                                  outcome->public_final_reports);
      for (const auto& w : outcome->warnings) build.message += "\n注意: " + w;
      for (const auto& f : outcome->files) {
        if (f.set == "public") {
          ++build.public_files;
          build.public_bytes += std::int64_t(f.bytes);
        } else {
          ++build.nonpublic_files;
        }
      }
    } else {
      build.status = BuildStatus::kFailed;
      build.message = outcome.error().message;
    }
    return store::update_build(tx, build);
  });
}

Result<void> run_queued_build(db::Database& database, Instant now, const std::function<Instant()>& clock) {
  // Claim the oldest queued build (one indexed query when there is none).
  auto claimed = database.transact<std::optional<Build>>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::optional<Build>> {
    // A build left running by a worker that is gone (a crash, a restart) would block every later one.
    if (auto r = recover_stale_builds(tx, now); !r) return fail(r.error());
    auto id = store::oldest_queued_build(tx);
    if (!id) return fail(id.error());
    if (!*id) return std::optional<Build>{};
    if (auto r = store::claim_build(tx, **id, this_worker(), iso_utc(now)); !r) return fail(r.error());
    return store::build(tx, **id);
  });
  if (!claimed) return fail(claimed.error());
  if (!*claimed) return {};
  const Build& b = **claimed;
  auth::Principal who;
  {
    auto tx = database.begin(db::TxMode::kRead);
    if (!tx) return fail(tx.error());
    if (b.started_by) {
      auto p = auth::load_principal(**tx, *b.started_by);
      if (!p) return fail(p.error());
      if (*p) who = **p;
    }
  }
  BuildOptions options;
  options.out_dir = b.out_dir;
  // The server's builds (ROOT/<id>) take ROOT/form1.json and ROOT/form2.json when present.
  auto root = std::filesystem::path(b.out_dir).parent_path();
  auto form1 = form1_config_in(root);
  if (!form1) return finish_build(database, b.id, Result<BuildSummary>{fail(form1.error())}, clock());
  auto form2 = form2_config_in(root);
  if (!form2) return finish_build(database, b.id, Result<BuildSummary>{fail(form2.error())}, clock());
  options.form1 = *form1;
  options.form2 = *form2;
  auto outcome = build_package(database, who, options, now, [&](const std::string& s) { (void)record_progress(database, b.id, s, clock()); });
  return finish_build(database, b.id, outcome, clock());
}

}  // namespace kakehashi::package

#include "docs/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <fmt/format.h>

#include <fmt/ranges.h>

#include <cstdlib>
#include <memory>
#include <regex>
#include <tuple>

#include "base/text.h"

namespace kakehashi::docs {
namespace kt = kakehashi::text;
namespace {

struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};

std::string literal(cmark_node* n) {
  const char* s = cmark_node_get_literal(n);
  return s ? s : "";
}

Error at_line(int line, const Error& e) {
  return Error{e.code, fmt::format("{}行目: {}", line, e.message)};
}

bool ascii_word_end(const std::string& s) {
  return !s.empty() && static_cast<unsigned char>(s.back()) < 0x80 && s.back() != ' ';
}
bool ascii_word_start(const std::string& s) {
  return !s.empty() && static_cast<unsigned char>(s.front()) < 0x80 && s.front() != ' ';
}

// Resolves soft breaks ("\n" spans) and merges neighbours with the same style. A soft break
// between two Latin words is a space; between Japanese characters it disappears, as a
// Japanese writer who wraps lines in the source expects.
Spans normalise(Spans in) {
  Spans out;
  for (size_t i = 0; i < in.size(); ++i) {
    Span s = std::move(in[i]);
    if (s.text == "\n" && !s.line_break && s.footnote == 0) {
      std::string before = out.empty() ? "" : out.back().text;
      std::string after = i + 1 < in.size() ? in[i + 1].text : "";
      if (!(ascii_word_end(before) && ascii_word_start(after))) continue;
      s.text = " ";
    }
    if (!out.empty()) {
      Span& b = out.back();
      if (!b.line_break && !s.line_break && b.footnote == 0 && s.footnote == 0 &&
          b.emphasis == s.emphasis && b.strong == s.strong && b.code == s.code &&
          b.link == s.link) {
        b.text += s.text;
        continue;
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Deepest nesting of inline styles or lists accepted; real documents use a handful.
constexpr int kMaxNesting = 32;

class Reader {
 public:
  explicit Reader(std::filesystem::path base_dir) : base_dir_(std::move(base_dir)) {}

  Result<Document> read(cmark_node* root) {
    // cmark-gfm numbers footnotes in order of first reference (a reference's literal is its
    // number) and moves the referenced definitions, in that order, to the end of the document.
    for (cmark_node* n = cmark_node_first_child(root); n; n = cmark_node_next(n)) {
      if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) definitions_.push_back(n);
    }
    auto blocks = read_blocks(root);
    if (!blocks) return fail(blocks.error());
    if (too_deep_line_ > 0)
      return fail(Error::invalid(fmt::format(
          "{}行目: 書式やリストの入れ子が深すぎます（上限 {} 段）", too_deep_line_, kMaxNesting)));
    doc_.blocks = std::move(*blocks);
    return std::move(doc_);
  }

 private:
  Result<std::vector<Block>> read_blocks(cmark_node* parent) {
    std::vector<Block> blocks;
    for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
      int line = cmark_node_get_start_line(n);
      cmark_node_type type = cmark_node_get_type(n);
      const char* ext_type = cmark_node_get_type_string(n);
      if (type == CMARK_NODE_HEADING) {
        blocks.push_back(heading(n));
      } else if (type == CMARK_NODE_PARAGRAPH) {
        std::string text = paragraph_text(n);
        if (text == "\\newpage") {
          blocks.push_back(PageBreak{});
        } else if (auto caption = caption_of(text, {"Table:", "表:", "表："}); caption) {
          if (blocks.empty() || !std::holds_alternative<Table>(blocks.back()))
            return fail(Error::invalid(
                fmt::format("{}行目: 「Table:」の見出しの直前に表がありません", line)));
          std::get<Table>(blocks.back()).caption = *caption;
        } else if (auto fig_caption = caption_of(text, {"Figure:", "図:", "図："}); fig_caption) {
          if (blocks.empty() || !std::holds_alternative<Figure>(blocks.back()))
            return fail(Error::invalid(
                fmt::format("{}行目: 「Figure:」の見出しの直前に図がありません", line)));
          std::get<Figure>(blocks.back()).caption = *fig_caption;
        } else if (cmark_node* image = lone_image(n)) {
          const char* url_text = cmark_node_get_url(image);
          std::string url = url_text ? url_text : "";
          // Images come from the input's folder or below it: no absolute paths, no "..", so a
          // document cannot pull an arbitrary file of the machine into its output.
          std::filesystem::path relative = std::filesystem::path(url).lexically_normal();
          if (url.empty() || relative.is_absolute() || relative.has_root_name() ||
              (!relative.empty() && *relative.begin() == ".."))
            return fail(Error::invalid(
                fmt::format("{}行目: 画像は入力ファイルと同じフォルダかその下に置いてください: {}",
                            line, url)));
          if (relative.extension() != ".png" && relative.extension() != ".PNG")
            return fail(
                Error::invalid(fmt::format("{}行目: 画像は PNG にしてください: {}", line, url)));
          Figure f = new_figure();
          f.line = line;
          f.image_path = (base_dir_ / relative).string();
          f.caption = inline_plain(image);
          if (!std::filesystem::is_regular_file(f.image_path))
            return fail(
                Error::invalid(fmt::format("{}行目: 画像ファイルが見つかりません: {}", line, url)));
          blocks.push_back(std::move(f));
        } else {
          blocks.push_back(Paragraph{normalise(inlines(n)), line});
        }
      } else if (type == CMARK_NODE_CODE_BLOCK) {
        std::string info = cmark_node_get_fence_info(n) ? cmark_node_get_fence_info(n) : "";
        if (info == "chart") {
          auto spec = parse_chart_spec(literal(n));
          if (!spec) return fail(at_line(line, spec.error()));
          Figure f = new_figure();
          f.line = line;
          f.caption = spec->title;
          f.chart = std::move(*spec);
          blocks.push_back(std::move(f));
        } else {
          std::string text = literal(n);
          while (!text.empty() && text.back() == '\n') text.pop_back();
          blocks.push_back(CodeBlock{text, line});
        }
      } else if (type == CMARK_NODE_LIST) {
        List list;
        list.line = line;
        read_list(n, 0, list);
        blocks.push_back(std::move(list));
      } else if (type == CMARK_NODE_BLOCK_QUOTE) {
        Note note;
        note.line = line;
        for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c))
          note.paragraphs.push_back(normalise(inlines(c)));
        blocks.push_back(std::move(note));
      } else if (type == CMARK_NODE_THEMATIC_BREAK) {
        blocks.push_back(PageBreak{});
      } else if (type == CMARK_NODE_HTML_BLOCK) {
        // Raw HTML is not carried into any output (it could hide content); only the page-break
        // comment has a meaning.
        if (literal(n).find("<!-- pagebreak -->") != std::string::npos)
          blocks.push_back(PageBreak{});
      } else if (ext_type && std::string_view(ext_type) == "table") {
        blocks.push_back(table(n));
      }
      // Footnote definitions are read through their references.
    }
    return blocks;
  }

  static std::optional<std::string> caption_of(const std::string& text,
                                               std::initializer_list<std::string_view> prefixes) {
    for (auto p : prefixes) {
      if (text.starts_with(p))
        return std::string(kt::trim(std::string_view(text).substr(p.size())));
    }
    return std::nullopt;
  }

  static cmark_node* lone_image(cmark_node* paragraph) {
    cmark_node* c = cmark_node_first_child(paragraph);
    if (c && cmark_node_get_type(c) == CMARK_NODE_IMAGE && !cmark_node_next(c)) return c;
    return nullptr;
  }

  std::string paragraph_text(cmark_node* n) { return plain_text(normalise(inlines(n))); }
  std::string inline_plain(cmark_node* n) { return plain_text(normalise(inlines(n))); }

  // Number and anchor of the count-th figure or table of the current chapter: 図2-1 / fig-2-1,
  // or 図1 / fig-1 before the first chapter.
  std::pair<std::string, std::string> numbered(std::string_view kind, std::string_view anchor,
                                               int count) const {
    if (chapter_ > 0)
      return {fmt::format("{}{}-{}", kind, chapter_, count),
              fmt::format("{}-{}-{}", anchor, chapter_, count)};
    return {fmt::format("{}{}", kind, count), fmt::format("{}-{}", anchor, count)};
  }

  Figure new_figure() {
    Figure f;
    std::tie(f.number, f.id) = numbered("図", "fig", ++figure_count_);
    return f;
  }

  // Outline numbering. A heading's outline level is one more than that of the nearest heading
  // before it with a smaller Markdown level, so skipped levels leave no zero behind: a `###`
  // directly under a `#` is numbered like a section (12.3), and shares the counter of the
  // chapter's `##` sections. Levels 1-3 are numbered (第N章, N.M, N.M.K); deeper ones are not.
  Heading heading(cmark_node* n) {
    Heading h;
    h.line = cmark_node_get_start_line(n);
    int markdown_level = cmark_node_get_heading_level(n);
    h.text = normalise(inlines(n));
    while (!outline_.empty() && outline_.back().markdown_level >= markdown_level)
      outline_.pop_back();
    std::vector<int> number;
    if (!outline_.empty()) number = outline_.back().number;
    int& siblings = outline_.empty() ? top_count_ : outline_.back().children;
    number.push_back(++siblings);
    outline_.push_back({markdown_level, number, 0});
    h.level = static_cast<int>(number.size());
    if (h.level == 1) {
      chapter_ = number[0];
      figure_count_ = table_count_ = 0;
      h.number = fmt::format("第{}章", chapter_);
      h.id = fmt::format("sec-{}", chapter_);
    } else if (h.level <= 3) {
      std::string dotted = fmt::format("{}", fmt::join(number, "."));
      std::string dashed = fmt::format("{}", fmt::join(number, "-"));
      h.number = dotted;
      h.id = "sec-" + dashed;
    } else {
      h.id = fmt::format("h-{}", ++unnumbered_);
    }
    return h;
  }

  Table table(cmark_node* n) {
    Table t;
    t.line = cmark_node_get_start_line(n);
    std::tie(t.number, t.id) = numbered("表", "tbl", ++table_count_);
    uint16_t columns = cmark_gfm_extensions_get_table_columns(n);
    uint8_t* align = cmark_gfm_extensions_get_table_alignments(n);
    for (uint16_t i = 0; i < columns; ++i) {
      char a = align ? static_cast<char>(align[i]) : 0;
      t.align.push_back(a == 'l'   ? Align::kLeft
                        : a == 'c' ? Align::kCenter
                        : a == 'r' ? Align::kRight
                                   : Align::kDefault);
    }
    for (cmark_node* row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
      std::vector<Spans> cells;
      for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell))
        cells.push_back(normalise(inlines(cell)));
      cells.resize(columns);
      if (cmark_gfm_extensions_get_table_row_is_header(row)) {
        t.header.push_back(std::move(cells));
      } else {
        t.rows.push_back(std::move(cells));
        t.row_lines.push_back(cmark_node_get_start_line(row));
      }
    }
    return t;
  }

  void read_list(cmark_node* list, int depth, List& out) {
    if (depth > kMaxNesting) {
      if (too_deep_line_ == 0) too_deep_line_ = cmark_node_get_start_line(list);
      return;
    }
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    bool paren = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM;
    int number = cmark_node_get_list_start(list);
    for (cmark_node* item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
      cmark_node* first = cmark_node_first_child(item);
      // "- 4) text": a bullet whose item is nothing but an ordered list (what converters make
      // of numbered clauses). The writer's marker is "4)": the bullet is dropped and the inner
      // items take its place at this depth, so no format shows a lone bullet above "4.".
      if (!ordered && first && cmark_node_get_type(first) == CMARK_NODE_LIST &&
          cmark_node_get_list_type(first) == CMARK_ORDERED_LIST && !cmark_node_next(first)) {
        read_list(first, depth, out);
        continue;
      }
      ListItem li;
      li.depth = depth;
      li.ordered = ordered;
      li.number = ordered ? number++ : 0;
      li.line = cmark_node_get_start_line(item);
      if (ordered) li.marker = fmt::format("{}{}", li.number, paren ? ")" : ".");
      std::vector<cmark_node*> sublists;
      for (cmark_node* c = cmark_node_first_child(item); c; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) == CMARK_NODE_LIST) {
          sublists.push_back(c);
          continue;
        }
        if (!li.spans.empty()) li.spans.push_back(Span{.line_break = true});
        Spans s = inlines(c);
        li.spans.insert(li.spans.end(), s.begin(), s.end());
      }
      li.spans = normalise(std::move(li.spans));
      if (!ordered) take_written_marker(li);
      out.items.push_back(std::move(li));
      for (cmark_node* sub : sublists) read_list(sub, depth + 1, out);
    }
  }

  // A bullet item whose text starts with a marker of its own followed by a space ("- ① …",
  // "- (a) …", "- （※1） …", "- ◇ …", "- ・ …") prints that marker instead of the bullet.
  static void take_written_marker(ListItem& li) {
    if (li.spans.empty() || li.spans[0].line_break || li.spans[0].footnote || li.spans[0].code ||
        !li.spans[0].link.empty())
      return;
    std::string& text = li.spans[0].text;
    size_t end = written_marker_length(text);
    if (end == 0) return;
    size_t rest = end;
    while (true) {  // the marker must be followed by at least one space
      if (text.compare(rest, 1, " ") == 0) rest += 1;
      else if (text.compare(rest, 3, "　") == 0) rest += 3;
      else break;
    }
    if (rest == end || (rest == text.size() && li.spans.size() == 1)) return;
    li.marker = text.substr(0, end);
    text.erase(0, rest);
  }

  // Length in bytes of a list marker at the start of `text`, 0 when there is none.
  static size_t written_marker_length(const std::string& text) {
    std::vector<std::pair<char32_t, size_t>> cps;  // code point, end offset
    for (size_t i = 0; i < text.size() && cps.size() < 8;) {
      auto c = static_cast<unsigned char>(text[i]);
      size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      if (i + len > text.size()) break;
      char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      i += len;
      cps.emplace_back(cp, i);
    }
    auto digit = [](char32_t c) { return (c >= '0' && c <= '9') || (c >= U'０' && c <= U'９'); };
    auto letter = [](char32_t c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= U'ａ' && c <= U'ｚ');
    };
    auto close = [](char32_t c) { return c == ')' || c == U'）'; };
    if (cps.empty()) return 0;
    char32_t c0 = cps[0].first;
    if ((c0 >= U'①' && c0 <= U'⑳') || std::u32string_view(U"◇◆・■□●○※").find(c0) != std::u32string_view::npos)
      return cps[0].second;
    size_t k = 0;
    bool open = c0 == '(' || c0 == U'（';
    if (open) ++k;
    size_t start = k;
    if (open && k < cps.size() && cps[k].first == U'※') ++k, start = k;
    while (k < cps.size() && k - start < 3 && digit(cps[k].first)) ++k;
    if (k == start && open && k < cps.size() && letter(cps[k].first)) ++k;
    if (k == start || k >= cps.size() || !close(cps[k].first)) return 0;
    return cps[k].second;
  }


  // Flattens the inline children of `n` into styled spans. Nesting deeper than
  // kMaxNesting (emphasis in links in emphasis …) is refused rather than recursed into.
  Spans inlines(cmark_node* n, Span style = {}, int depth = 0) {
    Spans out;
    if (depth > kMaxNesting) {
      if (too_deep_line_ == 0) too_deep_line_ = cmark_node_get_start_line(n);
      return out;
    }
    for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
      cmark_node_type type = cmark_node_get_type(c);
      const char* ext_type = cmark_node_get_type_string(c);
      Span s = style;
      switch (type) {
        case CMARK_NODE_TEXT:
          s.text = literal(c);
          out.push_back(s);
          break;
        case CMARK_NODE_CODE:
          s.text = literal(c);
          s.code = true;
          out.push_back(s);
          break;
        case CMARK_NODE_SOFTBREAK:
          s.text = "\n";
          out.push_back(s);
          break;
        case CMARK_NODE_LINEBREAK:
          out.push_back(Span{.line_break = true});
          break;
        case CMARK_NODE_EMPH: {
          s.emphasis = true;
          auto inner = inlines(c, s, depth + 1);
          out.insert(out.end(), inner.begin(), inner.end());
          break;
        }
        case CMARK_NODE_STRONG: {
          s.strong = true;
          auto inner = inlines(c, s, depth + 1);
          out.insert(out.end(), inner.begin(), inner.end());
          break;
        }
        case CMARK_NODE_LINK: {
          const char* url = cmark_node_get_url(c);
          s.link = url ? url : "";
          auto inner = inlines(c, s, depth + 1);
          out.insert(out.end(), inner.begin(), inner.end());
          break;
        }
        case CMARK_NODE_IMAGE: {
          auto inner =
              inlines(c, style, depth + 1);  // alt text only: inline images are not embedded
          out.insert(out.end(), inner.begin(), inner.end());
          break;
        }
        case CMARK_NODE_FOOTNOTE_REFERENCE: {
          int number = std::atoi(literal(c).c_str());
          if (number < 1 || static_cast<size_t>(number) > definitions_.size()) break;
          // First reference: read the definitions up to this one (they come in order). The
          // slot is taken before the body is read, so a note that cites itself ends the walk.
          while (doc_.footnotes.size() < static_cast<size_t>(number)) {
            size_t index = doc_.footnotes.size();
            doc_.footnotes.push_back(Footnote{static_cast<int>(index) + 1, {}});
            Spans spans;
            for (cmark_node* p = cmark_node_first_child(definitions_[index]); p;
                 p = cmark_node_next(p)) {
              if (!spans.empty()) spans.push_back(Span{.line_break = true});
              Spans body = inlines(p, {}, depth + 1);
              spans.insert(spans.end(), body.begin(), body.end());
            }
            doc_.footnotes[index].spans = normalise(std::move(spans));
          }
          out.push_back(Span{.text = std::to_string(number), .footnote = number});
          break;
        }
        case CMARK_NODE_HTML_INLINE: {
          // Inline HTML is dropped (see read_blocks), except <br>: a line break, as in table
          // cells, where Markdown has no other way to write one.
          static const std::regex kBr(R"(^<br\s*/?>$)", std::regex::icase);
          if (std::regex_match(literal(c), kBr)) out.push_back(Span{.line_break = true});
          break;
        }
        default:
          if (ext_type && std::string_view(ext_type) == "strikethrough") {
            auto inner = inlines(c, style, depth + 1);
            out.insert(out.end(), inner.begin(), inner.end());
          }
          // Inline HTML is dropped (see read_blocks).
          break;
      }
    }
    return out;
  }

  std::filesystem::path base_dir_;
  Document doc_;
  std::vector<cmark_node*> definitions_;
  int too_deep_line_ = 0;
  struct OutlineEntry {
    int markdown_level;
    std::vector<int> number;
    int children;
  };
  std::vector<OutlineEntry> outline_;  // the open headings, outermost first
  int top_count_ = 0;
  int chapter_ = 0, unnumbered_ = 0;
  int figure_count_ = 0, table_count_ = 0;
};

// Splits off a leading front matter block; replaces it by blank lines so line numbers hold.
Result<Metadata> front_matter(std::string& text) {
  Metadata meta;
  if (!text.starts_with("---\n") && !text.starts_with("---\r\n")) return meta;
  size_t pos = text.find('\n') + 1;
  int line = 1;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view row = kt::trim(std::string_view(text).substr(pos, end - pos));
    ++line;
    if (row == "---") {
      for (size_t i = 0; i < end; ++i)
        if (text[i] != '\n') text[i] = ' ';
      return meta;
    }
    if (!row.empty()) {
      size_t colon = row.find(':');
      if (colon == std::string_view::npos)
        return fail(Error::invalid(
            fmt::format("{}行目: 文書情報は「項目: 値」の形で書いてください", line)));
      std::string key(kt::trim(row.substr(0, colon)));
      std::string value(kt::trim(row.substr(colon + 1)));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      if (key == "title")
        meta.title = value;
      else if (key == "subtitle")
        meta.subtitle = value;
      else if (key == "issuer")
        meta.issuer = value;
      else if (key == "date")
        meta.date = value;
      else
        return fail(Error::invalid(
            fmt::format("{}行目: 文書情報の項目「{}」は使えません（title, subtitle, issuer, date）",
                        line, key)));
    }
    pos = end + 1;
  }
  return fail(Error::invalid("文書情報（先頭の ---）が閉じられていません"));
}

}  // namespace

Result<Document> parse_markdown(std::string_view markdown, const std::filesystem::path& base_dir) {
  if (markdown.size() > kMaxMarkdownBytes)
    return fail(
        Error::invalid(fmt::format("入力が大きすぎます（上限 {} MB）", kMaxMarkdownBytes >> 20)));
  if (!kt::is_valid_utf8(markdown)) return fail(Error::invalid("入力が UTF-8 として読めません"));
  std::string text(markdown);
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  auto meta = front_matter(text);
  if (!meta) return fail(meta.error());

  cmark_gfm_core_extensions_ensure_registered();
  int options = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(options));
  for (const char* name : {"table", "strikethrough"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser.get(), ext);
  }
  cmark_parser_feed(parser.get(), text.data(), text.size());
  std::unique_ptr<cmark_node, NodeDeleter> root(cmark_parser_finish(parser.get()));
  if (!root) return fail(Error::internal("Markdown を解析できませんでした"));
  auto doc = Reader(base_dir).read(root.get());
  if (!doc) return doc;
  doc->meta = std::move(*meta);
  return doc;
}

}  // namespace kakehashi::docs

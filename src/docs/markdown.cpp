#include "docs/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
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
          f.image_path = (base_dir_ / relative).string();
          f.caption = inline_plain(image);
          if (!std::filesystem::is_regular_file(f.image_path))
            return fail(
                Error::invalid(fmt::format("{}行目: 画像ファイルが見つかりません: {}", line, url)));
          blocks.push_back(std::move(f));
        } else {
          blocks.push_back(Paragraph{normalise(inlines(n))});
        }
      } else if (type == CMARK_NODE_CODE_BLOCK) {
        std::string info = cmark_node_get_fence_info(n) ? cmark_node_get_fence_info(n) : "";
        if (info == "chart") {
          auto spec = parse_chart_spec(literal(n));
          if (!spec) return fail(at_line(line, spec.error()));
          Figure f = new_figure();
          f.caption = spec->title;
          f.chart = std::move(*spec);
          blocks.push_back(std::move(f));
        } else {
          std::string text = literal(n);
          while (!text.empty() && text.back() == '\n') text.pop_back();
          blocks.push_back(CodeBlock{text});
        }
      } else if (type == CMARK_NODE_LIST) {
        List list;
        read_list(n, 0, list);
        blocks.push_back(std::move(list));
      } else if (type == CMARK_NODE_BLOCK_QUOTE) {
        Note note;
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

  Heading heading(cmark_node* n) {
    Heading h;
    h.level = cmark_node_get_heading_level(n);
    h.text = normalise(inlines(n));
    if (h.level == 1) {
      ++chapter_;
      section_ = subsection_ = figure_count_ = table_count_ = 0;
      h.number = fmt::format("第{}章", chapter_);
      h.id = fmt::format("sec-{}", chapter_);
    } else if (h.level == 2) {
      ++section_;
      subsection_ = 0;
      h.number = fmt::format("{}.{}", chapter_, section_);
      h.id = fmt::format("sec-{}-{}", chapter_, section_);
    } else if (h.level == 3) {
      ++subsection_;
      h.number = fmt::format("{}.{}.{}", chapter_, section_, subsection_);
      h.id = fmt::format("sec-{}-{}-{}", chapter_, section_, subsection_);
    } else {
      h.id = fmt::format("h-{}", ++unnumbered_);
    }
    return h;
  }

  Table table(cmark_node* n) {
    Table t;
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
      (cmark_gfm_extensions_get_table_row_is_header(row) ? t.header : t.rows)
          .push_back(std::move(cells));
    }
    return t;
  }

  void read_list(cmark_node* list, int depth, List& out) {
    if (depth > kMaxNesting) {
      if (too_deep_line_ == 0) too_deep_line_ = cmark_node_get_start_line(list);
      return;
    }
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int number = cmark_node_get_list_start(list);
    for (cmark_node* item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
      ListItem li;
      li.depth = depth;
      li.ordered = ordered;
      li.number = ordered ? number++ : 0;
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
      out.items.push_back(std::move(li));
      for (cmark_node* sub : sublists) read_list(sub, depth + 1, out);
    }
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
  int chapter_ = 0, section_ = 0, subsection_ = 0, unnumbered_ = 0;
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

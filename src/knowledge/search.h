// Japanese search text (issue 19): one normalisation for indexed text and queries, so that
// full-width / half-width forms, カタカナ / ひらがな and upper / lower case find each other:
//   NFKC with case folding (ICU's NFKC_Casefold: ＡＢＣ → abc, ｶﾞｯｺｳ → ガッコウ, ㈱ → (株)),
//   then katakana → hiragana (ガッコウ → がっこう), every run of white space → one space.
// Text is normalised per segment (a base character and the marks that follow it), so each
// normalised byte maps back to the original bytes it came from: snippets are cut and marked on
// the original text (search hits found in the normalised text).
// The trigram FTS5 index answers terms of three or more characters; terms of one or two
// characters are answered by the gram side index (every distinct character and pair of
// characters of an item, see grams()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::knowledge {

// The normalised form of `text` (valid UTF-8 in; invalid bytes are dropped).
std::string normalize(std::string_view text);

// The normalised form with, for each of its bytes, the original byte range it came from.
struct Normalized {
  std::string text;
  std::vector<std::uint32_t> begin;  // original offset of the segment of text[i]
  std::vector<std::uint32_t> end;    // original end of that segment
};
Normalized normalize_mapped(std::string_view text);

// The normalised terms of a query (split at white space), at most 8, each at most 64 characters;
// duplicates removed.
std::vector<std::string> query_terms(std::string_view query);

// Number of code points of a (normalised) term: 1–2 use the gram index, 3+ the trigram index.
std::size_t term_length(std::string_view term);

// Every distinct code point and pair of adjacent code points of `normalised` (pairs across a
// space are left out: terms never contain one).
std::vector<std::string> grams(std::string_view normalised);

// The FTS5 MATCH expression of a term of 3+ characters: a quoted phrase ("" doubled).
std::string fts_phrase(std::string_view term);

// The same term as a LIKE pattern for PostgreSQL, whose pg_trgm index serves
// `search_text LIKE ? ESCAPE '\'`: "%term%" with \, % and _ escaped so they match themselves.
// A substring of the normalised text, as FTS5's trigram phrase is.
std::string like_pattern(std::string_view term);

// An HTML snippet of `original` around the first hit of any of `terms` (normalised terms):
// about `width` characters, everything escaped, each hit in <mark>…</mark>, "…" where text was
// cut. Without a hit, the start of the text. Empty text gives "".
std::string snippet_html(std::string_view original, const std::vector<std::string>& terms, std::size_t width = 90);

// Markdown reduced to its words for indexing and snippets: headings' #, emphasis * and _,
// code `, quotes >, link targets (](…)) and table pipes removed; lines kept.
std::string markdown_plain(std::string_view markdown);

}  // namespace kakehashi::knowledge

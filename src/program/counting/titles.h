// The content of an activity: its title without the marks of one session.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::program::counting {

struct Title {
  // Comparison key: two records have the same content exactly when their keys are equal.
  std::string key;
  // The title as shown for the project: NFKC text without session markers and without the
  // brackets and decorations they leave behind ("出前授業（第2回）" → "出前授業"), brackets and
  // waves written full-width ("出前授業【基礎編】" → "出前授業（基礎編）").
  std::string display;
  // The session markers removed, in order, as written after NFKC ("第2回", "午前", "10月5日").
  std::vector<std::string> markers;
};

// Normalises a title. Removed as session markers: 第N回(目), N回目, N日目 (N in digits or kanji);
// dates (2026年10月5日, 令和8年10月, 10月5日, 2026/10/5, 2026-10-05) with a weekday that follows;
// times (10:00, 10:00~12:00); and, when they stand alone (in brackets or as their own word), the
// session words of tables.h (午前, 午後, 前期, 後期 …). Inside brackets that hold nothing else,
// a month (10月), a year (2026年, 令和8年度) and a day (10/5) are markers too.
// Brackets of every shape (（）【】［］〔〕〈〉《》) count as one kind; brackets left empty and
// runs of decorations (～～, --) are removed. A bracket that names content ((基礎編)) stays.
// The key keeps letters, digits and + # & %, Latin lower-cased. A title that is nothing but
// markers ("第2回") keeps them: its content is unknown and is never merged on the marker alone.
Title normalize_title(std::string_view title);

}  // namespace kakehashi::program::counting

#include "survey/sheet_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include "base/text.h"

namespace kakehashi::survey {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::uint64_t load_word(const char* at) {
  std::uint64_t word;
  std::memcpy(&word, at, sizeof word);
  return word;
}

// Whether any byte of `word` equals a, b or c (the classic SWAR zero-byte test).
bool has_any_byte(std::uint64_t word, char a, char b, char c) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  return has_zero(word ^ (kOnes * static_cast<unsigned char>(a))) ||
         has_zero(word ^ (kOnes * static_cast<unsigned char>(b))) ||
         has_zero(word ^ (kOnes * static_cast<unsigned char>(c)));
}

unsigned worker_count(unsigned threads) {
  return threads ? threads : std::max(1u, std::thread::hardware_concurrency());
}

// Runs work(i) for i in [0, count) on up to `threads` threads.
template <typename Work>
void parallel_for(std::size_t count, unsigned threads, Work work) {
  std::atomic<std::size_t> next{0};
  auto loop = [&] {
    for (std::size_t i = next++; i < count; i = next++) work(i);
  };
  std::vector<std::jthread> pool;
  for (unsigned w = 1; w < std::min<std::size_t>(threads, count); ++w) pool.emplace_back(loop);
  loop();
}

}  // namespace

bool is_valid_utf8_fast(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  auto continuation = [&](std::size_t k) { return (s[k] & 0xC0) == 0x80; };
  while (i < n) {
    if (i + 8 <= n && (load_word(bytes.data() + i) & 0x8080808080808080ULL) == 0) {
      i += 8;
      continue;
    }
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 >= n || !continuation(i + 1)) return false;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (i + 2 >= n || !continuation(i + 1) || !continuation(i + 2)) return false;
      if (c == 0xE0 && s[i + 1] < 0xA0) return false;   // overlong
      if (c == 0xED && s[i + 1] >= 0xA0) return false;  // surrogates
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (i + 3 >= n || !continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3))
        return false;
      if (c == 0xF0 && s[i + 1] < 0x90) return false;   // overlong
      if (c == 0xF4 && s[i + 1] >= 0x90) return false;  // past U+10FFFF
      i += 4;
    } else {
      return false;  // continuation byte, C0/C1 (overlong) or F5..FF
    }
  }
  return true;
}

namespace {

// is_valid_utf8_fast over pieces cut where a code point starts, checked in parallel.
bool valid_utf8(std::string_view bytes, unsigned threads) {
  constexpr std::size_t kMinPiece = 1 << 20;  // below this, one thread is faster
  const std::size_t pieces =
      std::max<std::size_t>(1, std::min<std::size_t>(threads, bytes.size() / kMinPiece));
  std::vector<std::size_t> cuts = {0};
  for (std::size_t p = 1; p < pieces; ++p) {
    std::size_t cut = std::max(cuts.back(), bytes.size() * p / pieces);
    while (cut < bytes.size() && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80) ++cut;
    cuts.push_back(cut);
  }
  cuts.push_back(bytes.size());
  std::atomic<bool> valid{true};
  parallel_for(pieces, threads, [&](std::size_t p) {
    if (!is_valid_utf8_fast(bytes.substr(cuts[p], cuts[p + 1] - cuts[p]))) valid = false;
  });
  return valid;
}

}  // namespace

Result<SheetTable> SheetTable::read_file(const std::string& path, unsigned threads) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return fail(Error::invalid(fmt::format("ファイルを開けません: {}", path)));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return fail(Error::invalid(fmt::format("通常のファイルではありません: {}", path)));
  std::string bytes;
  if (std::fseek(file.get(), 0, SEEK_END) == 0) {
    const long size = std::ftell(file.get());
    if (size < 0) return fail(Error::unavailable(fmt::format("ファイルを読めません: {}", path)));
    if (std::size_t(size) > kMaxBytes)
      return fail(Error::invalid(fmt::format("ファイルが大きすぎます（4 GiB まで）: {}", path)));
    std::rewind(file.get());
    bytes.resize(std::size_t(size));
    if (std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size())
      return fail(Error::unavailable(fmt::format("ファイルを読めません: {}", path)));
  } else {
    return fail(Error::unavailable(fmt::format("ファイルを読めません: {}", path)));
  }
  return from_bytes(std::move(bytes), threads);
}

Result<SheetTable> SheetTable::from_bytes(std::string bytes, unsigned threads) {
  threads = worker_count(threads);
  if (bytes.size() > kMaxBytes) return fail(Error::invalid("ファイルが大きすぎます（4 GiB まで）"));
  SheetTable table;
  // Encodings as text::to_utf8 decides them, without copying valid UTF-8.
  if (bytes.starts_with(kBom)) {
    if (!valid_utf8(std::string_view(bytes).substr(kBom.size()), threads))
      return fail(Error::invalid(
          "文字コードを判別できません（UTF-8 の BOM がありますが内容が UTF-8 ではありません）"));
    table.buffer_ = std::move(bytes);
    table.begin_ = kBom.size();
  } else if (valid_utf8(bytes, threads)) {
    table.buffer_ = std::move(bytes);
  } else {
    auto utf8 = text::to_utf8(bytes);
    if (!utf8) return fail(utf8.error());
    if (utf8->size() > kMaxBytes)
      return fail(Error::invalid("ファイルが大きすぎます（4 GiB まで）"));
    table.buffer_ = std::move(*utf8);
  }
  auto split = table.split(threads);
  if (!split) return fail(split.error());
  return table;
}

Result<void> SheetTable::split(unsigned threads) {
  // Pass 1 (sequential): where each record starts and ends, and its line. The dialect is
  // base/csv.h's: quotes may hold commas and line breaks; CR, LF and CRLF end a record; a
  // record with nothing on its line is a blank line and skipped.
  struct Span {
    std::size_t begin, end, line;
    bool quoted;  // holds a quote character (needs the unescaping path)
  };
  std::vector<Span> spans;
  const char* data = buffer_.data();
  const std::size_t size = buffer_.size();
  std::size_t i = begin_, line = 1, start = begin_, start_line = 1, quote_line = 0;
  bool in_quotes = false, record_quoted = false;
  while (i < size) {
    // Skip eight bytes at a time while none of them can change the state.
    if (in_quotes) {
      while (i + 8 <= size && !has_any_byte(load_word(data + i), '"', '\n', '\n')) i += 8;
    } else {
      while (i + 8 <= size && !has_any_byte(load_word(data + i), '"', '\r', '\n')) i += 8;
    }
    if (i >= size) break;
    const char c = data[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < size && data[i + 1] == '"') {
          i += 2;
          continue;
        }
        in_quotes = false;
      } else if (c == '\n') {
        ++line;
      }
      ++i;
      continue;
    }
    if (c == '"') {
      in_quotes = true;
      record_quoted = true;
      quote_line = line;
      ++i;
    } else if (c == '\r' || c == '\n') {
      if (i > start) spans.push_back({start, i, start_line, record_quoted});
      record_quoted = false;
      if (c == '\r' && i + 1 < size && data[i + 1] == '\n') ++i;
      ++i;
      ++line;
      start = i;
      start_line = line;
    } else {
      ++i;
    }
  }
  if (in_quotes)
    return fail(Error::invalid(fmt::format("{} 行目: 引用符 \" が閉じられていません", quote_line)));
  if (size > start) spans.push_back({start, size, start_line, record_quoted});

  // Pass 2 (parallel over chunks of records): split fields, unescaping quotes in place (the
  // text only shrinks, so each field is rewritten at or before where it was read).
  constexpr std::size_t kRecordsPerChunk = 4096;
  const std::size_t chunk_count = (spans.size() + kRecordsPerChunk - 1) / kRecordsPerChunk;
  chunks_.assign(chunk_count, {});
  std::vector<std::vector<std::uint32_t>> counts(chunk_count);
  char* text = buffer_.data();
  parallel_for(chunk_count, threads, [&](std::size_t chunk) {
    const std::size_t first = chunk * kRecordsPerChunk;
    const std::size_t last = std::min(spans.size(), first + kRecordsPerChunk);
    std::vector<Field>& fields = chunks_[chunk];
    for (std::size_t s = first; s < last; ++s) {
      const std::size_t before = fields.size();
      if (!spans[s].quoted) {
        // No quotes: fields are the text between commas, nothing to rewrite.
        const char* at = text + spans[s].begin;
        const char* end = text + spans[s].end;
        while (true) {
          const char* comma = static_cast<const char*>(std::memchr(at, ',', std::size_t(end - at)));
          const char* stop = comma ? comma : end;
          fields.push_back({std::uint32_t(at - text), std::uint32_t(stop - at)});
          if (!comma) break;
          at = comma + 1;
        }
        counts[chunk].push_back(std::uint32_t(fields.size() - before));
        continue;
      }
      std::size_t read = spans[s].begin, write = read, field_start = read;
      bool quoted = false;
      while (read < spans[s].end) {
        const char c = text[read];
        if (quoted) {
          if (c == '"') {
            if (read + 1 < spans[s].end && text[read + 1] == '"') {
              text[write++] = '"';
              read += 2;
              continue;
            }
            quoted = false;
            ++read;
            continue;
          }
          text[write++] = c;
          ++read;
        } else if (c == '"') {
          quoted = true;
          ++read;
        } else if (c == ',') {
          fields.push_back({std::uint32_t(field_start), std::uint32_t(write - field_start)});
          ++read;
          write = field_start = read;
        } else {
          text[write++] = c;
          ++read;
        }
      }
      fields.push_back({std::uint32_t(field_start), std::uint32_t(write - field_start)});
      counts[chunk].push_back(std::uint32_t(fields.size() - before));
    }
  });
  rows_.reserve(spans.size());
  for (std::size_t chunk = 0; chunk < chunk_count; ++chunk) {
    const Field* next = chunks_[chunk].data();
    for (std::size_t k = 0; k < counts[chunk].size(); ++k) {
      rows_.push_back({next, counts[chunk][k], spans[chunk * kRecordsPerChunk + k].line});
      next += counts[chunk][k];
    }
  }
  return {};
}

}  // namespace kakehashi::survey

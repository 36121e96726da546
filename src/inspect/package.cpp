#include "inspect/package.h"

#include "inspect/file_bytes.h"

#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kakehashi::inspect {

namespace {

std::string lower_name(std::string_view name) {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  std::string out(name);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

ZipArchive::ZipArchive(ZipArchive&& other) noexcept
    : archive_(std::exchange(other.archive_, nullptr)),
      memory_(std::move(other.memory_)),
      depth_(other.depth_),
      nested_entries_(other.nested_entries_),
      entries_(std::move(other.entries_)),
      by_name_(std::move(other.by_name_)),
      inflated_total_(other.inflated_total_),
      total_limit_(other.total_limit_) {}

ZipArchive& ZipArchive::operator=(ZipArchive&& other) noexcept {
  if (this != &other) {
    if (archive_ != nullptr) zip_discard(archive_);
    archive_ = std::exchange(other.archive_, nullptr);
    memory_ = std::move(other.memory_);
    depth_ = other.depth_;
    nested_entries_ = other.nested_entries_;
    entries_ = std::move(other.entries_);
    by_name_ = std::move(other.by_name_);
    inflated_total_ = other.inflated_total_;
    total_limit_ = other.total_limit_;
  }
  return *this;
}

ZipArchive::~ZipArchive() {
  if (archive_ != nullptr) zip_discard(archive_);  // discard: never write anything back
}

namespace {

std::string mib(std::uint64_t bytes) {
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
    return std::to_string(bytes >> 30) + " GiB";
  return std::to_string(bytes >> 20) + " MiB";
}

std::string ratio_reason(std::uint64_t limit) {
  return "展開後の合計がファイルの " + std::to_string(kMaxZipRatio) + " 倍（" + mib(limit) +
         "）を超えます";
}

}  // namespace

Result<ZipArchive> ZipArchive::open(const std::string& path) {
  std::error_code ec;
  auto file_size = std::filesystem::file_size(path, ec);
  if (ec) return fail(Error::unavailable("ファイルを開けません"));
  // The whole file is read once and libzip reads it from memory: its file source made about
  // twenty system calls an entry (seeks, reads, stats), a tenth of an ODT folder's CPU time
  // (issue 23 item 8).
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::unavailable("ファイルを開けません"));
  std::string data = read_all(in);
  if (in.bad() || data.size() != file_size) return fail(Error::unavailable("ファイルを開けません"));
  return open_memory(std::move(data), 0);
}

Result<ZipArchive> ZipArchive::open_memory(std::string data, int depth) {
  auto memory = std::make_unique<std::string>(std::move(data));
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(memory->data(), memory->size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return fail(Error::invalid("ZIP 形式として壊れています"));
  }
  zip* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (archive == nullptr) {
    zip_source_free(source);
    return fail(Error::invalid("ZIP 形式として壊れています"));
  }
  std::uint64_t size = memory->size();
  auto result = adopt(archive, size, depth);
  if (result) result->memory_ = std::move(memory);
  return result;
}

Result<ZipArchive> ZipArchive::adopt(zip* archive, std::uint64_t archive_size, int depth) {
  ZipArchive result;
  result.archive_ = archive;
  result.depth_ = depth;
  zip_int64_t count = zip_get_num_entries(archive, 0);
  if (count < 0) return fail(Error::invalid("ZIP 形式として壊れています"));
  if (static_cast<std::size_t>(count) > kMaxZipEntries) {
    throw ZipBomb{"部品が " + std::to_string(count) + " 個あります（上限 " +
                      std::to_string(kMaxZipEntries) + " 個）",
                  {},
                  {}};
  }
  result.total_limit_ =
      std::min(kMaxZipTotalBytes, std::max(kZipGraceBytes, archive_size * kMaxZipRatio));
  std::uint64_t declared_total = 0;
  std::size_t largest = 0;  // the entry declaring the most bytes
  std::uint64_t largest_size = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat) != 0 ||
        stat.name == nullptr) {
      return fail(Error::invalid("ZIP の目次が壊れています"));
    }
    Entry entry;
    entry.name = stat.name;
    entry.compressed = (stat.valid & ZIP_STAT_COMP_SIZE)
                           ? std::min<std::uint64_t>(stat.comp_size, archive_size)
                           : 0;
    // What the directory declares, checked before anything is inflated.
    if (stat.valid & ZIP_STAT_SIZE) {
      if (stat.size > kMaxZipEntryBytes) {
        throw ZipBomb{"部品 " + entry.name + " は展開すると " + mib(stat.size) +
                          " になると宣言されています（上限 " + mib(kMaxZipEntryBytes) + "）",
                      entry.name,
                      {}};
      }
      if (stat.size > largest_size) {
        largest_size = stat.size;
        largest = result.entries_.size();
      }
      declared_total += stat.size;
    }
    result.by_name_.emplace(lower_name(entry.name), result.entries_.size());
    result.entries_.push_back(std::move(entry));
  }
  if (declared_total > kMaxZipTotalBytes) {
    throw ZipBomb{"展開後の合計が " + mib(declared_total) + " になると宣言されています（上限 " +
                      mib(kMaxZipTotalBytes) + "）",
                  {},
                  {}};
  }
  if (declared_total > result.total_limit_) {
    // Inflate only the first 100 KiB of the largest entry: a billion-laughs part shows its
    // entity declarations there.
    const Entry& entry = result.entries_[largest];
    std::string partial;
    zip_file_t* file = zip_fopen_index(archive, largest, 0);
    if (file != nullptr) {
      std::string buffer(100 * 1024, '\0');
      zip_int64_t n = zip_fread(file, buffer.data(), buffer.size());
      if (n > 0) partial.assign(buffer.data(), static_cast<std::size_t>(n));
      zip_fclose(file);
    }
    throw ZipBomb{"展開後の合計が " + mib(declared_total) + " になると宣言されています（ファイルの " +
                      std::to_string(kMaxZipRatio) + " 倍、" + mib(result.total_limit_) +
                      " を超えます）",
                  entry.name, std::move(partial)};
  }
  return result;
}

long ZipArchive::find(std::string_view name) const {
  auto it = by_name_.find(lower_name(name));
  return it == by_name_.end() ? -1 : static_cast<long>(it->second);
}

Result<void> ZipArchive::inflate(std::size_t index,
                                 const std::function<void(const char*, std::size_t)>& sink,
                                 std::string* partial) {
  if (index >= entries_.size()) return fail(Error::not_found("部品がありません"));
  const Entry& entry = entries_[index];
  zip_file_t* file = zip_fopen_index(archive_, index, 0);
  if (file == nullptr) return fail(Error::invalid("部品 " + entry.name + " を展開できません"));
  std::uint64_t size = 0;
  char buffer[64 * 1024];
  while (true) {
    zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
    if (n < 0) {
      zip_fclose(file);
      return fail(Error::invalid("部品 " + entry.name + " が壊れています"));
    }
    if (n == 0) break;
    sink(buffer, static_cast<std::size_t>(n));
    size += static_cast<std::uint64_t>(n);
    inflated_total_ += static_cast<std::uint64_t>(n);
    if (size > kMaxZipEntryBytes) {
      zip_fclose(file);
      throw ZipBomb{"部品 " + entry.name + " の展開後のサイズが上限 " + mib(kMaxZipEntryBytes) +
                        " を超えます",
                    entry.name, partial ? std::move(*partial) : std::string()};
    }
    if (inflated_total_ > total_limit_) {
      zip_fclose(file);
      throw ZipBomb{total_limit_ == kMaxZipTotalBytes
                        ? "展開後の合計が " + mib(kMaxZipTotalBytes) + " を超えます"
                        : ratio_reason(total_limit_),
                    entry.name, partial ? std::move(*partial) : std::string()};
    }
  }
  if (zip_fclose(file) != 0) return fail(Error::invalid("部品 " + entry.name + " が壊れています"));
  return {};
}

Result<std::string> ZipArchive::read(std::size_t index) {
  std::string data;
  auto done = inflate(
      index, [&](const char* bytes, std::size_t n) { data.append(bytes, n); }, &data);
  if (!done) return fail(done.error());
  return data;
}

Result<std::string> ZipArchive::scan(std::size_t index, std::size_t keep) {
  std::string head;
  auto done = inflate(
      index,
      [&](const char* bytes, std::size_t n) {
        if (head.size() < keep) head.append(bytes, std::min(n, keep - head.size()));
      },
      &head);
  if (!done) return fail(done.error());
  return head;
}

Result<void> ZipArchive::check_nested(std::size_t index) {
  auto head = scan(index, 4);
  if (!head) return fail(head.error());
  if (!head->starts_with("PK\x03\x04")) return {};
  const std::string& name = entries_[index].name;
  if (depth_ + 1 > kMaxZipNesting) {
    throw ZipBomb{"ZIP の中の ZIP が " + std::to_string(kMaxZipNesting) + " 段を超えて入れ子になっています（" +
                      name + "）",
                  name,
                  {}};
  }
  // The entry has been inflated within the limits once; inflate it again to look inside (its
  // bytes are counted once).
  std::uint64_t before = inflated_total_;
  auto data = read(index);
  inflated_total_ = before;
  if (!data) return fail(data.error());
  Result<ZipArchive> inner = fail(Error::invalid(""));
  try {
    inner = open_memory(std::move(*data), depth_ + 1);
  } catch (ZipBomb& bomb) {
    bomb.reason = name + " の中: " + bomb.reason;
    bomb.entry = name;
    throw;
  }
  if (!inner) return {};  // not a readable ZIP after all: only its bytes were counted
  auto check_count = [&](std::size_t more) {
    nested_entries_ += more;
    if (entries_.size() + nested_entries_ > kMaxZipEntries) {
      throw ZipBomb{"中の ZIP を含めると部品が " + std::to_string(kMaxZipEntries) +
                        " 個を超えます（" + name + "）",
                    name,
                    {}};
    }
  };
  check_count(inner->entries().size());
  for (std::size_t i = 0; i < inner->entries().size(); ++i) {
    try {
      auto checked = inner->check_nested(i);
      (void)checked;  // a damaged inner entry is not a bomb
    } catch (ZipBomb& bomb) {
      bomb.reason = name + " の中: " + bomb.reason;
      bomb.entry = name;
      throw;
    }
    if (before + inner->inflated_total() > total_limit_)
      throw ZipBomb{total_limit_ == kMaxZipTotalBytes
                        ? "展開後の合計が " + mib(kMaxZipTotalBytes) + " を超えます"
                        : ratio_reason(total_limit_),
                    name, {}};
  }
  check_count(inner->nested_entries_);
  inflated_total_ = before + inner->inflated_total();
  return {};
}

namespace {

// The value of attribute `name` in a start tag's text, quotes removed ("" when absent).
std::string_view attribute_value(std::string_view tag, std::string_view name) {
  std::size_t at = tag.find(name);
  if (at == std::string_view::npos) return {};
  std::size_t eq = tag.find('=', at + name.size());
  if (eq == std::string_view::npos) return {};
  std::size_t open = tag.find_first_of("\"'", eq);
  if (open == std::string_view::npos) return tag.substr(eq + 1);
  std::size_t close = tag.find(tag[open], open + 1);
  if (close == std::string_view::npos) return tag.substr(open + 1);
  return tag.substr(open + 1, close - open - 1);
}

bool is_standard_schema(std::string_view location) {
  for (std::string_view prefix : {"http://dublincore.org/schemas/xmls/",
                                  "https://dublincore.org/schemas/xmls/"}) {
    if (location.starts_with(prefix) && location.find_first_of(" ?#\\") == std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace

Result<void> write_zip_entries(const std::string& path, const std::vector<ZipOutEntry>& entries) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) return fail(Error::unavailable("出力ファイルを作れません"));
  // libzip turns the time into the DOS date through localtime(): 1980-01-01 00:00 local.
  std::tm fixed{};
  fixed.tm_year = 80;
  fixed.tm_mon = 0;
  fixed.tm_mday = 1;
  fixed.tm_isdst = -1;
  std::time_t when = std::mktime(&fixed);
  for (const auto& entry : entries) {
    zip_source_t* source = zip_source_buffer(archive, entry.data->data(), entry.data->size(), 0);
    zip_int64_t index = source == nullptr ? -1
                                          : zip_file_add(archive, entry.name.c_str(), source,
                                                         ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      if (source != nullptr) zip_source_free(source);
      zip_discard(archive);
      std::remove(path.c_str());
      return fail(Error::unavailable("出力ファイルを書けません"));
    }
    zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), when, 0);
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                             entry.stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    std::remove(path.c_str());
    return fail(Error::unavailable("出力ファイルを書けません"));
  }
  return {};
}

XmlScan scan_xml(std::string_view s) {
  // One pass (issue 23 item 8: this scan was a quarter of an XLSX's inspection): memchr to each
  // '<', then the construct it opens; start tags are walked once, quotes respected.
  XmlScan scan;
  int depth = 0;
  const char* p = s.data();
  const char* const end = s.data() + s.size();
  auto find = [&](const char* from, std::string_view what) -> const char* {
    std::string_view rest(from, static_cast<std::size_t>(end - from));
    std::size_t at = rest.find(what);
    return at == std::string_view::npos ? end : from + at + what.size();
  };
  auto upper_is = [&](const char* at, std::string_view word) {
    if (static_cast<std::size_t>(end - at) < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (std::toupper(static_cast<unsigned char>(at[k])) != word[k]) return false;
    }
    return true;
  };
  // The next occurrence of a character at or after `from`, remembered in `cache` (nullptr:
  // not looked for yet); `end` when there is none.
  const char* next_gt = nullptr;
  const char* next_dq = nullptr;
  const char* next_sq = nullptr;
  auto next_of = [&](const char*& cache, char c, const char* from) -> const char* {
    if (cache == nullptr || (cache != end && std::less<const char*>()(cache, from))) {
      const void* hit = from < end ? std::memchr(from, c, static_cast<std::size_t>(end - from))
                                   : nullptr;
      cache = hit == nullptr ? end : static_cast<const char*>(hit);
    }
    return cache;
  };
  while (p < end) {
    p = static_cast<const char*>(std::memchr(p, '<', static_cast<std::size_t>(end - p)));
    if (p == nullptr) break;
    char next = p + 1 < end ? p[1] : '\0';
    if (next == '!') {
      if (end - p >= 4 && p[2] == '-' && p[3] == '-') {
        p = find(p + 4, "-->");
      } else if (end - p >= 9 && std::memcmp(p, "<![CDATA[", 9) == 0) {
        p = find(p + 9, "]]>");
      } else {
        if (upper_is(p + 2, "DOCTYPE")) scan.doctype = true;
        if (upper_is(p + 2, "ENTITY")) scan.entity = true;
        ++p;  // keep scanning inside the DTD: entity declarations live there
      }
      continue;
    }
    if (next == '?') {
      p = find(p + 2, "?>");
      continue;
    }
    if (next == '/') {
      --depth;
      const void* close = std::memchr(p, '>', static_cast<std::size_t>(end - p));
      p = close == nullptr ? end : static_cast<const char*>(close) + 1;
      continue;
    }
    // A start tag: its end outside quoted attribute values. The next '>', '"' and '\'' are
    // found with memchr and remembered (the scan only moves forward), so a tag costs a few
    // jumps instead of a test per byte (issue 23 item 8).
    const char* q = p + 1;
    for (;;) {
      const char* gt = next_of(next_gt, '>', q);
      const char* quote = std::min(next_of(next_dq, '"', q), next_of(next_sq, '\'', q));
      if (gt < quote || quote == end) {
        q = gt;
        break;
      }
      const char* close = *quote == '"' ? next_of(next_dq, '"', quote + 1)
                                        : next_of(next_sq, '\'', quote + 1);
      if (close == end) {
        q = end;
        break;
      }
      q = close + 1;
    }
    std::string_view tag(p + 1, static_cast<std::size_t>(q - p - 1));
    bool self_closing = !tag.empty() && tag.back() == '/';
    std::size_t name_end = 0;
    while (name_end < tag.size() && tag[name_end] != ' ' && tag[name_end] != '\t' &&
           tag[name_end] != '\r' && tag[name_end] != '\n' && tag[name_end] != '/')
      ++name_end;
    std::string_view name = tag.substr(0, name_end);
    std::size_t colon = name.find(':');
    std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
    if ((local == "import" || local == "include" || local == "redefine") &&
        tag.find("schemaLocation") != std::string_view::npos) {
      std::string_view value = attribute_value(tag, "schemaLocation");
      bool remote = value.find("://") != std::string_view::npos ||
                    value.find("file:") != std::string_view::npos;
      // SharePoint's content-type schemas import Dublin Core's published schemas by their
      // address (issue 23 item 6); no Office parser fetches them. Only an import of those
      // counts as standard, never an include or redefine.
      if (remote && !(local == "import" && is_standard_schema(value))) scan.external_schema = true;
    }
    if (!self_closing) {
      ++depth;
      scan.max_depth = std::max(scan.max_depth, depth);
    }
    p = q < end ? q + 1 : end;
  }
  return scan;
}

Result<std::unique_ptr<pugi::xml_document>> parse_xml(std::string_view xml, bool depth_checked) {
  if (!depth_checked && scan_xml(xml).too_deep()) {
    return fail(
        Error::invalid("XML の入れ子が " + std::to_string(kMaxXmlDepth) + " 段を超えています"));
  }
  auto document = std::make_unique<pugi::xml_document>();
  // No parse_doctype: the DTD is skipped, and pugixml never expands custom entities.
  unsigned options = pugi::parse_default | pugi::parse_declaration | pugi::parse_ws_pcdata;
  pugi::xml_parse_result parsed =
      document->load_buffer(xml.data(), xml.size(), options, pugi::encoding_auto);
  if (!parsed)
    return fail(Error::invalid(std::string("XML が壊れています: ") + parsed.description()));
  return document;
}

std::string_view local_name(const char* name) {
  std::string_view view(name);
  std::size_t colon = view.find(':');
  return colon == std::string_view::npos ? view : view.substr(colon + 1);
}

std::string_view attribute(const pugi::xml_node& node, std::string_view name) {
  bool plain = name.find(':') == std::string_view::npos;
  for (auto attr = node.first_attribute(); attr; attr = attr.next_attribute()) {
    if (!plain) {
      if (local_name(attr.name()) == name) return attr.value();
      continue;
    }
    // The local name is what follows the first colon: "name" or "<prefix>:name" with no other
    // colon in the prefix. Compared from the end, without splitting every attribute's name.
    std::string_view full(attr.name());
    if (!full.ends_with(name)) continue;
    std::size_t prefix = full.size() - name.size();
    if (prefix == 0 ||
        (full[prefix - 1] == ':' && full.substr(0, prefix - 1).find(':') == std::string_view::npos))
      return attr.value();
  }
  return {};
}

std::string relationship_id(const pugi::xml_node& node) {
  for (auto attr : node.attributes()) {
    std::string_view name = attr.name();
    if (name.find(':') != std::string_view::npos && local_name(attr.name()) == "id")
      return attr.value();
  }
  return {};
}

bool truthy(std::string_view value) { return value == "1" || value == "true" || value == "on"; }

std::string resolve_part(std::string_view source_part, std::string_view target) {
  std::string decoded;
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] == '%' && i + 2 < target.size() &&
        std::isxdigit(static_cast<unsigned char>(target[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(target[i + 2]))) {
      decoded += static_cast<char>(std::stoi(std::string(target.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      decoded += target[i] == '\\' ? '/' : target[i];
    }
  }
  std::string joined;
  if (!decoded.empty() && decoded.front() == '/') {
    joined = decoded;
  } else {
    std::size_t slash = source_part.rfind('/');
    joined = std::string(source_part.substr(0, slash == std::string_view::npos ? 0 : slash + 1)) +
             decoded;
  }
  std::vector<std::string> segments;
  std::stringstream stream(joined);
  std::string segment;
  while (std::getline(stream, segment, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else {
      segments.push_back(segment);
    }
  }
  std::string out;
  for (const auto& s : segments) out += "/" + s;
  return out.empty() ? "/" : out;
}

std::string rels_part_of(std::string_view part) {
  if (part == "/" || part.empty()) return "/_rels/.rels";
  std::size_t slash = part.rfind('/');
  return std::string(part.substr(0, slash + 1)) + "_rels/" + std::string(part.substr(slash + 1)) +
         ".rels";
}

}  // namespace kakehashi::inspect

namespace kakehashi::inspect {

std::string_view Relationship::kind() const {
  std::string_view view(type);
  std::size_t slash = view.rfind('/');
  return slash == std::string_view::npos ? view : view.substr(slash + 1);
}

Result<OpcPackage> OpcPackage::open(const std::string& path) {
  auto zip = ZipArchive::open(path);
  if (!zip) return fail(zip.error());
  return open(std::move(*zip));
}

Result<OpcPackage> OpcPackage::open(ZipArchive zip) {
  OpcPackage package(std::move(zip));
  long index = package.zip_.find("[Content_Types].xml");
  if (index < 0)
    return fail(Error::invalid("[Content_Types].xml がなく、Office 文書ではありません"));
  auto data = package.zip_.read(static_cast<std::size_t>(index));
  if (!data) return fail(data.error());
  auto document = parse_xml(*data);
  if (!document) return fail(Error::invalid("[Content_Types].xml が壊れています"));
  for (auto node : (*document)->document_element().children()) {
    std::string_view name = local_name(node.name());
    if (name == "Default") {
      package.defaults_[lower_name(attribute(node, "Extension"))] = attribute(node, "ContentType");
    } else if (name == "Override") {
      package.overrides_[lower_name(attribute(node, "PartName"))] = attribute(node, "ContentType");
    }
  }
  return package;
}

std::string OpcPackage::content_type(std::string_view part) const {
  auto it = overrides_.find(lower_name(part));
  if (it != overrides_.end()) return it->second;
  std::size_t dot = part.rfind('.');
  std::size_t slash = part.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  auto def = defaults_.find(lower_name(part.substr(dot + 1)));
  return def == defaults_.end() ? std::string() : def->second;
}

Result<std::string> OpcPackage::read(std::string_view part) {
  long index = zip_.find(part);
  if (index < 0) return fail(Error::not_found("部品 " + std::string(part) + " がありません"));
  return zip_.read(static_cast<std::size_t>(index));
}

std::vector<Relationship> OpcPackage::relationships(std::string_view part) {
  std::string key = lower_name(part);
  auto cached = rels_cache_.find(key);
  if (cached != rels_cache_.end()) return cached->second;
  std::vector<Relationship> rels;
  auto data = read(rels_part_of(part));
  if (data) {
    auto document = parse_xml(*data);
    if (document) {
      for (auto node : (*document)->document_element().children()) {
        if (local_name(node.name()) != "Relationship") continue;
        Relationship rel;
        rel.id = attribute(node, "Id");
        rel.type = attribute(node, "Type");
        rel.target = attribute(node, "Target");
        rel.external = attribute(node, "TargetMode") == "External";
        if (!rel.external) rel.part = resolve_part(part == "/" ? "/" : part, rel.target);
        rels.push_back(std::move(rel));
      }
    }
  }
  rels_cache_[key] = rels;
  return rels;
}

std::vector<std::string> OpcPackage::part_names() const {
  std::vector<std::string> names;
  for (const auto& entry : zip_.entries()) {
    if (entry.name.empty() || entry.name.back() == '/') continue;
    names.push_back("/" + entry.name);
  }
  return names;
}

}  // namespace kakehashi::inspect

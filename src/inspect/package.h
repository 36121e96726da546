// Read-only access to ZIP containers (OOXML) and XML parts, with the limits that keep hostile
// files harmless: entry count, inflation ratio and total inflated bytes (counted while
// inflating, never taken from the headers), XML nesting depth, and no DTD or entity handling.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct zip;

namespace kakehashi::inspect {

// A ZIP with more entries than this is treated as a bomb (the entries of ZIPs inside it count).
inline constexpr std::size_t kMaxZipEntries = 1000;
// Issue 23 item 5: a bomb is judged by absolute sizes and by the archive's total ratio, never by
// one part's ratio (an EMF preview or a sparse sheet may inflate a few hundred times). All
// entries together may inflate to this many bytes whatever the archive's size...
inline constexpr std::uint64_t kZipGraceBytes = 32ull << 20;
// ...and beyond that to at most this multiple of the archive's size.
inline constexpr std::uint64_t kMaxZipRatio = 100;
// All entries of one archive together may inflate to at most 1 GiB...
inline constexpr std::uint64_t kMaxZipTotalBytes = 1ull << 30;
// ...and one entry to at most 256 MiB (the parsers hold a part whole in memory).
inline constexpr std::uint64_t kMaxZipEntryBytes = 256ull << 20;
// A ZIP inside the package (an embedded workbook) may hold another one, but not a third level
// (42.zip and zip quines nest forever).
inline constexpr int kMaxZipNesting = 2;
// XML deeper than this is refused (OOXML rarely goes past 30 levels).
inline constexpr int kMaxXmlDepth = 256;

// Thrown while reading an archive that turns out to be a bomb; the inspector reports
// file.zip_bomb and stops. The message is Japanese, for the finding.
struct ZipBomb {
  std::string reason;
  std::string entry;    // the entry being inflated, "" when the archive as a whole is refused
  std::string partial;  // what was inflated before the limit hit (to look for DTDs in it)
};

class ZipArchive {
 public:
  struct Entry {
    std::string name;              // as stored, e.g. "xl/workbook.xml"
    std::uint64_t compressed = 0;  // compressed size, capped at the archive's size
  };

  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;
  ~ZipArchive();

  // Opens `path` read-only (the file is never written). Fails with a Japanese reason when the
  // file is not a readable ZIP; throws ZipBomb when it has more than kMaxZipEntries entries or
  // when the sizes its directory declares are over the limits (declared sizes can only make an
  // archive look worse: the actual bytes are counted again while inflating).
  [[nodiscard]] static Result<ZipArchive> open(const std::string& path);
  // The same for an archive held in memory (a ZIP inside the package); `depth` is how deep it is
  // nested (1 for an entry of the package).
  [[nodiscard]] static Result<ZipArchive> open_memory(std::string data, int depth);

  const std::vector<Entry>& entries() const { return entries_; }
  // Index of the entry named `name` (case-insensitive, leading '/' ignored), or -1.
  long find(std::string_view name) const;
  // Inflates entry `index`, counting the bytes as they come. Throws ZipBomb past the limits;
  // fails when the entry is corrupt (bad CRC, truncated data).
  [[nodiscard]] Result<std::string> read(std::size_t index);
  // Inflates entry `index` with the same limits without keeping it: returns the first
  // `keep` bytes (to recognise a nested ZIP or an XML prolog).
  [[nodiscard]] Result<std::string> scan(std::size_t index, std::size_t keep);
  // Inflates every entry once; an entry that is itself a ZIP is opened and checked the same
  // way, its bytes counting towards this archive's total. Throws ZipBomb.
  [[nodiscard]] Result<void> check_nested(std::size_t index);
  std::uint64_t inflated_total() const { return inflated_total_; }
  // Forgets the bytes inflated so far, as if the archive had just been opened (the family test
  // reads `mimetype` before the inspection proper reuses the archive).
  void restart_count() { inflated_total_ = 0; }
  // What all entries may inflate to: min(1 GiB, max(grace, 100 x the archive's size)).
  std::uint64_t total_limit() const { return total_limit_; }

 private:
  ZipArchive() = default;
  [[nodiscard]] static Result<ZipArchive> adopt(zip* archive, std::uint64_t archive_size,
                                                int depth);
  // Inflates entry `index`; `sink` gets each chunk. Throws ZipBomb past the limits.
  [[nodiscard]] Result<void> inflate(std::size_t index,
                                     const std::function<void(const char*, std::size_t)>& sink,
                                     std::string* partial);
  zip* archive_ = nullptr;
  std::unique_ptr<std::string> memory_;  // an archive opened from memory: libzip reads these bytes
  int depth_ = 0;
  std::size_t nested_entries_ = 0;  // entries of the ZIPs inside, counted against kMaxZipEntries
  std::vector<Entry> entries_;
  std::map<std::string, std::size_t> by_name_;  // lower-case name without leading '/'
  std::uint64_t inflated_total_ = 0;
  std::uint64_t total_limit_ = kMaxZipTotalBytes;
};

// One entry to write: `data` must outlive write_zip_entries().
struct ZipOutEntry {
  std::string name;  // "xl/workbook.xml"
  const std::string* data = nullptr;
  bool stored = false;  // written uncompressed (ODF's mimetype)
};
// Writes `entries` in this order to `path`, every entry dated 1980-01-01 00:00 (the earliest a
// ZIP can say) so that the same input gives the same bytes (issue 23 item 7).
[[nodiscard]] Result<void> write_zip_entries(const std::string& path,
                                             const std::vector<ZipOutEntry>& entries);

// What a cheap scan of an XML text found before any parser sees it.
struct XmlScan {
  bool doctype = false;          // <!DOCTYPE
  bool entity = false;           // <!ENTITY
  bool external_schema = false;  // xs:import / include / redefine with a remote schemaLocation
  int max_depth = 0;
  bool too_deep() const { return max_depth > kMaxXmlDepth; }
  bool unsafe() const { return doctype || entity || external_schema; }
};
XmlScan scan_xml(std::string_view xml);

// Parses XML with pugixml: DOCTYPE skipped, no entity expanded or fetched, whitespace text
// kept (so a cleaned part keeps its spaces). Fails for malformed or too deep XML;
// `depth_checked` skips the depth scan when the caller has run scan_xml() on `xml` already.
[[nodiscard]] Result<std::unique_ptr<pugi::xml_document>> parse_xml(std::string_view xml,
                                                                    bool depth_checked = false);

// The local part of an element or attribute name: "w:t" -> "t".
std::string_view local_name(const char* name);
// The value of the attribute whose local name is `name`, or "".
std::string_view attribute(const pugi::xml_node& node, std::string_view name);
// The relationship id of an element (r:id), as opposed to a plain id attribute.
std::string relationship_id(const pugi::xml_node& node);
// True for "1", "true", "on" (OOXML booleans).
bool truthy(std::string_view value);

// Joins a relationship target to the folder of its source part: ("/xl/workbook.xml",
// "worksheets/sheet1.xml") -> "/xl/worksheets/sheet1.xml"; percent escapes decoded.
std::string resolve_part(std::string_view source_part, std::string_view target);
// The relationships part of a part: "/xl/workbook.xml" -> "/xl/_rels/workbook.xml.rels".
std::string rels_part_of(std::string_view part);

// One relationship of an OPC package (ECMA-376 Part 2).
struct Relationship {
  std::string id;
  std::string type;    // full URI
  std::string target;  // as written
  std::string part;    // resolved part name for internal targets, "" for external ones
  bool external = false;
  // The last segment of the type URI: "worksheet", "comments", "oleObject", ...
  std::string_view kind() const;
};

// An OOXML package: parts found through [Content_Types].xml and the relationships.
class OpcPackage {
 public:
  // Opens the ZIP and reads the content types. Throws ZipBomb like ZipArchive.
  [[nodiscard]] static Result<OpcPackage> open(const std::string& path);
  // The same for an archive already open (its bytes not yet counted).
  [[nodiscard]] static Result<OpcPackage> open(ZipArchive zip);

  ZipArchive& zip() { return zip_; }
  bool has_part(std::string_view part) const { return zip_.find(part) >= 0; }
  // Content type of a part: its Override, else the Default for its extension, else "".
  std::string content_type(std::string_view part) const;
  // Inflates a part ("/xl/workbook.xml"). Throws ZipBomb past the limits.
  [[nodiscard]] Result<std::string> read(std::string_view part);
  // Relationships whose source is `part` ("/" for the package). Empty when there are none
  // or the relationships part is unreadable.
  std::vector<Relationship> relationships(std::string_view part);
  // Every entry as a part name ("/xl/workbook.xml"), directories left out.
  std::vector<std::string> part_names() const;

 private:
  explicit OpcPackage(ZipArchive zip) : zip_(std::move(zip)) {}
  ZipArchive zip_;
  std::map<std::string, std::string> defaults_;   // lower-case extension -> type
  std::map<std::string, std::string> overrides_;  // lower-case part name -> type
  std::map<std::string, std::vector<Relationship>> rels_cache_;
};

}  // namespace kakehashi::inspect

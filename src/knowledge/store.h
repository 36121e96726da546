// knowledge's SQL (private to the module): items with their search index (the FTS5 table is kept
// in sync by triggers on search_text; the gram side index by save_item), photos, the stakeholder
// map.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/database.h"
#include "knowledge/model.h"

namespace kakehashi::knowledge::store {

// Inserts (id 0) or updates the whole item, with `search_text` (normalised) and its grams.
// Returns the id.
[[nodiscard]] Result<std::int64_t> save_item(db::Transaction& tx, const Item& item, const std::string& search_text);
[[nodiscard]] Result<std::optional<Item>> find_item(db::Transaction& tx, std::int64_t id);

// Which items a search may return.
struct Visibility {
  bool published_only = true;                   // anonymous and public pages
  bool all = false;                             // every item (secretariat, METI)
  std::optional<std::int64_t> organisation_id;  // drafts of this organisation
  std::set<std::string> blocks;                 // drafts of these blocks
};

struct Filter {
  Kind kind = Kind::kCase;
  Visibility visibility;
  std::vector<std::string> terms;  // normalised (search.h query_terms)
  std::string category, block_id, school_type, effect, outcome, stakeholder;
  std::optional<Status> status;  // staff lists: one status only
  int limit = 20;
  std::int64_t offset = 0;
};

struct FacetCount {
  std::string code;
  std::int64_t count = 0;
};
struct Page {
  std::vector<Item> items;
  std::int64_t total = 0;
  std::vector<FacetCount> categories, blocks, school_types, effects, outcomes;
};
// With facets: counts of the filtered result (when `facets`).
[[nodiscard]] Result<Page> search(db::Transaction& tx, const Filter& filter, bool facets);
// Only the ids matching `terms` (for tests and the benchmark): kind, published only.
[[nodiscard]] Result<std::int64_t> count_like_scan(db::Transaction& tx, const std::string& normalised_term);

// Every published item of `kind`, newest first (open data, report chapters).
[[nodiscard]] Result<std::vector<Item>> published(db::Transaction& tx, Kind kind);
[[nodiscard]] Result<std::optional<std::string>> last_published_at(db::Transaction& tx);
[[nodiscard]] Result<std::int64_t> count_status(db::Transaction& tx, Status status);

[[nodiscard]] Result<std::int64_t> insert_photo(db::Transaction& tx, const Photo& photo, const std::string& bytes,
                                                std::optional<std::int64_t> added_by);
[[nodiscard]] Result<std::vector<Photo>> photos_of(db::Transaction& tx, std::int64_t item_id);
// The photo's bytes with its item id; nullopt when missing.
[[nodiscard]] Result<std::optional<std::pair<Photo, std::string>>> photo(db::Transaction& tx, std::int64_t photo_id);
[[nodiscard]] Result<void> delete_photo(db::Transaction& tx, std::int64_t photo_id);

[[nodiscard]] Result<std::vector<Stakeholder>> stakeholders(db::Transaction& tx);
[[nodiscard]] Result<bool> update_stakeholder(db::Transaction& tx, const std::string& code, const std::string& roles,
                                              const std::string& actions, Instant now);

// Uploaded collections waiting for their mapping (import.h).
struct ImportRow {
  std::int64_t id = 0;
  std::string file_name;
  std::string headers_json;
  std::int64_t rows = 0;
  std::optional<std::string> imported_at;
  std::string bytes;
};
[[nodiscard]] Result<std::int64_t> insert_import(db::Transaction& tx, const std::string& file_name, const std::string& bytes,
                                                 const std::string& headers_json, std::int64_t rows,
                                                 std::int64_t created_by, Instant now);
[[nodiscard]] Result<std::optional<ImportRow>> find_import(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<void> mark_imported(db::Transaction& tx, std::int64_t id, Instant now);

}  // namespace kakehashi::knowledge::store

// The knowledge module's rules (issue 19, R4): cases and lessons written by operators (their own
// organisation's) and the secretariat, curated by the secretariat (draft → review → approved →
// published; withdrawn), with the inspector's personal-information check before approval and
// photos cleaned of metadata; Japanese search with facets for the public pages, the staff
// screens and the API; the stakeholder map. Every write is audited ("knowledge.<verb>").
//
// Who sees what (kViewKnowledge, per item): everyone, even anonymous, every published item;
// the secretariat and METI every item; an operator the items of its organisation; a bureau the
// items of the blocks of its bureau. An item out of reach answers nullopt (the screen: 404).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "knowledge/model.h"

namespace kakehashi::knowledge {

// A search of cases or lessons: the query as typed and the facet values chosen.
struct SearchRequest {
  Kind kind = Kind::kCase;
  std::string q;
  std::string category, block_id, school_type, effect, outcome, stakeholder;
  std::optional<Status> status;  // staff only
  int page = 1;
  int per_page = 20;
};

struct FacetValue {
  std::string code;
  std::string label;
  std::int64_t count = 0;
};

struct Hit {
  Item item;
  std::string title_html;    // the whole title, escaped, hits in <mark>
  std::string snippet_html;  // escaped text with <mark> around hits (search.h snippet_html)
};

struct SearchResult {
  std::vector<Hit> hits;
  std::int64_t total = 0;
  std::vector<std::string> terms;  // the normalised terms searched
  std::vector<FacetValue> categories, blocks, school_types, effects, outcomes;
};

// Published items only (public pages, open data, the API without a token).
[[nodiscard]] Result<SearchResult> search_published(db::Transaction& tx, const SearchRequest& request);
// The items `who` may see (kViewKnowledge).
[[nodiscard]] Result<SearchResult> search_for(db::Transaction& tx, const auth::Principal& who, const SearchRequest& request);

// A published item (nullopt otherwise).
[[nodiscard]] Result<std::optional<Item>> find_published(db::Transaction& tx, std::int64_t id);
// The item if `who` may see it (nullopt when missing or out of reach).
[[nodiscard]] Result<std::optional<Item>> find_item(db::Transaction& tx, const auth::Principal& who, std::int64_t id);

// What `who` may do with `item` now (for screens; the services check again).
struct Abilities {
  bool edit = false;      // change the text (draft: author or curator; review: curator)
  bool submit = false;    // draft → review
  bool curate = false;    // return, check, accept, approve, publish, withdraw, rework
};
[[nodiscard]] Result<Abilities> abilities(db::Transaction& tx, const auth::Principal& who, const Item& item);

// Every problem of `draft` at once (field names as in the form).
std::vector<FieldError> validate(const Draft& draft);
std::string join_messages(const std::vector<FieldError>& errors);

// A new draft by `who` (kEditKnowledge). An operator's item belongs to its organisation; the
// secretariat's to the organisation of the operator it names. Audited "knowledge.create".
[[nodiscard]] Result<std::int64_t> create_item(db::Transaction& tx, const auth::Principal& who, const Draft& draft,
                                               Instant now);
// Changes the text of a draft (author or curator) or of an item in review (curator). Clears the
// last personal-information check. Audited "knowledge.update".
[[nodiscard]] Result<void> update_item(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                       const Draft& draft, Instant now);

// draft → review (author or curator). Audited "knowledge.submit".
[[nodiscard]] Result<void> submit(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now);
// review → draft with the curator's comment. Audited "knowledge.return".
[[nodiscard]] Result<void> return_to_draft(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                           const std::string& comment, Instant now);
// Runs the inspector's personal-information check on the public text of the item (title,
// summary, body, advice, effects, figures, photo captions) and records its findings. Curator;
// review only. Audited "knowledge.check" (counts per code, never the matches).
[[nodiscard]] Result<std::vector<PiiFinding>> check_personal_information(db::Transaction& tx, const auth::Principal& who,
                                                                         std::int64_t id, Instant now);
// The curator accepts the current findings for publication with a reason (required). Audited
// "knowledge.accept".
[[nodiscard]] Result<void> accept_findings(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                           const std::string& reason, Instant now);
// review → approved: runs the check again; refused while findings are neither resolved nor
// accepted, and for a case without the parties' consent. Audited "knowledge.approve".
[[nodiscard]] Result<void> approve(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now);
// approved → published. Audited "knowledge.publish".
[[nodiscard]] Result<void> publish(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now);
// published → withdrawn with a reason (required). Audited "knowledge.withdraw".
[[nodiscard]] Result<void> withdraw(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                    const std::string& reason, Instant now);
// withdrawn or approved → draft, to be reworked. Audited "knowledge.rework".
[[nodiscard]] Result<void> rework(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now);

// Photos: JPEG or PNG up to 10 MB, stored without metadata (JPEG: EXIF, XMP, IPTC and comments
// removed by the inspector's cleaner; PNG: decoded and re-encoded, so only pixels remain).
// Editors while the item is editable. Audited "knowledge.photo_add" / "knowledge.photo_remove".
inline constexpr std::size_t kPhotoLimit = 10 * 1024 * 1024;
[[nodiscard]] Result<std::int64_t> add_photo(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                             const std::string& caption, const std::string& bytes, Instant now);
[[nodiscard]] Result<void> remove_photo(db::Transaction& tx, const auth::Principal& who, std::int64_t photo_id,
                                        Instant now);
[[nodiscard]] Result<std::vector<Photo>> photos(db::Transaction& tx, std::int64_t item_id);
// A photo and its bytes: of a published item (who = nullptr), or of an item `who` may see.
[[nodiscard]] Result<std::optional<std::pair<Photo, std::string>>> find_photo(db::Transaction& tx,
                                                                              const auth::Principal* who,
                                                                              std::int64_t photo_id);
// The same cleaning, exposed for tests: the bytes without metadata, or an invalid error.
[[nodiscard]] Result<std::string> clean_photo(const std::string& bytes, std::string& content_type, std::string& removed);

// The stakeholder map with the published cases and lessons naming each type.
[[nodiscard]] Result<std::vector<Stakeholder>> stakeholder_map(db::Transaction& tx);
// The curator's change of a type's roles and actions. Audited "knowledge.stakeholder".
[[nodiscard]] Result<void> update_stakeholder(db::Transaction& tx, const auth::Principal& who, const std::string& code,
                                              const std::string& roles, const std::string& actions, Instant now);

// How many items wait for the secretariat's review (the curator's to-do on the home page).
[[nodiscard]] Result<std::int64_t> count_in_review(db::Transaction& tx);

// Every published item of `kind`, newest first.
[[nodiscard]] Result<std::vector<Item>> published_items(db::Transaction& tx, Kind kind);
// The last publication instant (the open data's modified date), if any.
[[nodiscard]] Result<std::optional<std::string>> last_modified(db::Transaction& tx);

// The normalised search text of an item (what the index holds), for tests and the benchmark.
std::string search_text_of(const Item& item);
// Writes an item as it is (no rules, no audit): the demo and the benchmark.
[[nodiscard]] Result<std::int64_t> store_item(db::Transaction& tx, const Item& item);
// The benchmark's baseline: published cases whose search text contains `term` by LIKE '%term%'.
[[nodiscard]] Result<std::int64_t> like_scan_count(db::Transaction& tx, const std::string& term);

}  // namespace kakehashi::knowledge

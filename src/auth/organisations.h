// Organisations: names stored cleaned (text::clean_name), look-alikes of an existing name
// recorded so the secretariat sees a warning, and the listings the screens need.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "db/database.h"

namespace kakehashi::auth {

struct Organisation {
  std::int64_t id = 0;
  std::string name;
  std::string kind;  // organisations.kind
  std::optional<std::string> block_id;
  // An older organisation whose name nearly equals this one's (same key under the counting
  // engine's company-name matching: 株式会社 = (株), full = half width …), for a warning badge.
  std::optional<std::int64_t> similar_to_id;
  std::optional<std::string> similar_to_name;
};

// The comparison key of an organisation name: the counting engine's company_key of the cleaned
// name. "株式会社サクラ", "(株)サクラ", "ｻｸﾗ㈱" and "サクラ\u200B株式会社" share one key.
std::string organisation_name_key(std::string_view name);

// Finds an organisation by name (compared cleaned) or creates it with the cleaned name; a
// creation is audited as done by `actor` and, when another organisation's name nearly equals
// the new one, records it in similar_to. Errors (Japanese): an empty or over-long name.
[[nodiscard]] Result<std::int64_t> ensure_organisation(db::Transaction& tx, const std::string& name,
                                                       const std::string& kind,
                                                       const std::optional<std::string>& block_id,
                                                       const audit::Actor& actor, std::chrono::sys_seconds now);

// The organisation whose cleaned name equals clean_name(name), if any.
[[nodiscard]] Result<std::optional<std::int64_t>> organisation_named(db::Transaction& tx, const std::string& name);

// The oldest organisation whose name nearly equals `name` (same organisation_name_key) without
// being the same cleaned name.
[[nodiscard]] Result<std::optional<Organisation>> similar_organisation(db::Transaction& tx, const std::string& name);

[[nodiscard]] Result<std::optional<Organisation>> find_organisation(db::Transaction& tx, std::int64_t id);

// Organisations by name (at most `limit`), for choosing one in a form.
[[nodiscard]] Result<std::vector<Organisation>> list_organisations(db::Transaction& tx, int limit = 500);

}  // namespace kakehashi::auth

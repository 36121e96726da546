#include "auth/organisations.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "base/date.h"
#include "base/text.h"
#include "program/counting/names.h"

namespace kakehashi::auth {
namespace {

constexpr std::string_view kOrganisationColumns =
    "o.id, o.name, o.kind, o.block_id, o.similar_to, s.name";
constexpr std::string_view kOrganisationFrom = "organisations o LEFT JOIN organisations s ON s.id = o.similar_to";

Organisation organisation_from_row(const db::Row& row) {
  return Organisation{row.integer(0), row.text(1), row.text(2), row.optional_text(3), row.optional_integer(4),
                      row.optional_text(5)};
}

// The organisation with the same cleaned name, and the oldest with a nearly equal one. Names
// stored before they were cleaned are cleaned here, so an old look-alike is found as well.
// Organisations are created rarely and number in the hundreds: one pass over them is enough.
struct NameMatch {
  std::optional<std::int64_t> same;
  std::optional<std::int64_t> similar;
};

Result<NameMatch> match_name(db::Transaction& tx, const std::string& cleaned) {
  auto rows = tx.query("SELECT id, name FROM organisations ORDER BY id");
  if (!rows) return fail(rows.error());
  std::string key = organisation_name_key(cleaned);
  NameMatch match;
  for (const auto& row : *rows) {
    std::string other = text::clean_name(row.text(1));
    if (other == cleaned) {
      match.same = row.integer(0);
      return match;
    }
    if (!match.similar && organisation_name_key(other) == key) match.similar = row.integer(0);
  }
  return match;
}

}  // namespace

std::string organisation_name_key(std::string_view name) {
  return program::counting::company_key(text::clean_name(name));
}

Result<std::int64_t> ensure_organisation(db::Transaction& tx, const std::string& name, const std::string& kind,
                                         const std::optional<std::string>& block_id, const audit::Actor& actor,
                                         std::chrono::sys_seconds now) {
  std::string cleaned = text::clean_name(name);
  if (cleaned.empty()) return fail(Error::invalid("組織名を入力してください"));
  if (text::count_code_points(cleaned) > 100) return fail(Error::invalid("組織名は 100 文字以内で入力してください"));
  auto match = match_name(tx, cleaned);
  if (!match) return fail(match.error());
  if (match->same) return *match->same;
  auto id = tx.insert("INSERT INTO organisations (name, kind, block_id, created_at, similar_to) VALUES (?, ?, ?, ?, ?)",
                      {cleaned, kind, db::nullable(block_id), iso_utc(now), db::nullable(match->similar)});
  if (!id) return fail(id.error());
  boost::json::object detail;
  if (match->similar) detail["similar_to"] = *match->similar;
  auto logged = audit::record(tx,
                              audit::entry_by(actor, "organisation.create", fmt::format("organisation:{}", *id),
                                              detail.empty() ? "" : boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return *id;
}

Result<std::optional<std::int64_t>> organisation_named(db::Transaction& tx, const std::string& name) {
  std::string cleaned = text::clean_name(name);
  if (cleaned.empty()) return std::optional<std::int64_t>{};
  auto match = match_name(tx, cleaned);
  if (!match) return fail(match.error());
  return match->same;
}

Result<std::optional<Organisation>> similar_organisation(db::Transaction& tx, const std::string& name) {
  std::string cleaned = text::clean_name(name);
  if (cleaned.empty()) return std::optional<Organisation>{};
  auto match = match_name(tx, cleaned);
  if (!match) return fail(match.error());
  if (match->same || !match->similar) return std::optional<Organisation>{};
  return find_organisation(tx, *match->similar);
}

Result<std::optional<Organisation>> find_organisation(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM {} WHERE o.id = ?", kOrganisationColumns, kOrganisationFrom), {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Organisation>{};
  return std::optional<Organisation>{organisation_from_row(**row)};
}

Result<std::vector<Organisation>> list_organisations(db::Transaction& tx, int limit) {
  auto rows = tx.query(fmt::format("SELECT {} FROM {} ORDER BY o.name LIMIT ?", kOrganisationColumns, kOrganisationFrom),
                       {std::int64_t{limit}});
  if (!rows) return fail(rows.error());
  std::vector<Organisation> out;
  for (const auto& row : *rows) out.push_back(organisation_from_row(row));
  return out;
}

}  // namespace kakehashi::auth

#include "knowledge/store.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/date.h"
#include "geo/geo.h"
#include "knowledge/search.h"

namespace kakehashi::knowledge::store {
namespace {

constexpr std::string_view kColumns =
    "id, kind, status, title, summary, body, advice, outcome, block_id, prefecture, school_types, category, subtype, "
    "effects, effect_industry, effect_education, figures, stakeholders, operator_id, organisation_id, projects, consent, "
    "consent_note, source, year, pii_findings, pii_checked_at, pii_accepted_reason, review_comment, withdrawn_reason, "
    "created_by, created_at, updated_at, published_at";

std::string join_codes(const std::vector<std::string>& codes) {
  std::string out = ",";
  for (const auto& c : codes) out += c + ",";
  return out;
}

std::vector<std::string> split_codes(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string figures_json(const std::vector<Figure>& figures) {
  boost::json::array out;
  for (const auto& f : figures) out.push_back(boost::json::object{{"label", f.label}, {"value", f.value}, {"unit", f.unit}});
  return boost::json::serialize(out);
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<Figure> parse_figures(const std::string& text) {
  std::vector<Figure> out;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& v : value.as_array()) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    out.push_back({text_of(o, "label"), text_of(o, "value"), text_of(o, "unit")});
  }
  return out;
}

std::string findings_json(const std::vector<PiiFinding>& findings) {
  boost::json::array out;
  for (const auto& f : findings)
    out.push_back(boost::json::object{{"code", f.code}, {"label", f.label}, {"field", f.field}, {"masked", f.masked}});
  return boost::json::serialize(out);
}

std::vector<PiiFinding> parse_findings(const std::string& text) {
  std::vector<PiiFinding> out;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& v : value.as_array()) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    out.push_back({text_of(o, "code"), text_of(o, "label"), text_of(o, "field"), text_of(o, "masked")});
  }
  return out;
}

Item item_from_row(const db::Row& r) {
  Item i;
  i.id = r.integer(0);
  i.kind = kind_from(r.text(1)).value_or(Kind::kCase);
  i.status = status_from(r.text(2)).value_or(Status::kDraft);
  i.title = r.text(3);
  i.summary = r.text(4);
  i.body = r.text(5);
  i.advice = r.text(6);
  i.outcome = r.text(7);
  i.block_id = r.text(8);
  i.prefecture = r.text(9);
  i.school_types = split_codes(r.text(10));
  i.category = r.text(11);
  i.subtype = r.text(12);
  i.effects = split_codes(r.text(13));
  i.effect_industry = r.text(14);
  i.effect_education = r.text(15);
  i.figures = parse_figures(r.text(16));
  i.stakeholders = split_codes(r.text(17));
  i.operator_id = r.optional_integer(18);
  i.organisation_id = r.optional_integer(19);
  i.projects = r.text(20);
  i.consent = r.integer(21) != 0;
  i.consent_note = r.text(22);
  i.source = r.text(23);
  i.year = static_cast<int>(r.integer(24));
  i.pii_findings = parse_findings(r.text(25));
  i.pii_checked_at = r.optional_text(26);
  i.pii_accepted_reason = r.text(27);
  i.review_comment = r.text(28);
  i.withdrawn_reason = r.text(29);
  i.created_by = r.optional_integer(30);
  i.created_at = r.text(31);
  i.updated_at = r.text(32);
  i.published_at = r.optional_text(33);
  return i;
}

// The WHERE clause of a filter (after "FROM knowledge_items i WHERE "), its parameters appended.
// A term of 3+ characters is a substring of the normalised text: SQLite's FTS5 trigram table
// answers it, PostgreSQL's pg_trgm index on search_text (the migration's .pg.sql twin) answers
// the LIKE. Both give the same rows; the order is the same ORDER BY on both.
std::string where_of(const Filter& f, db::Params& params, bool postgresql) {
  std::string sql = "i.kind = ?";
  params.emplace_back(std::string(to_string(f.kind)));
  const Visibility& v = f.visibility;
  if (v.published_only) {
    sql += " AND i.status = 'published'";
  } else if (!v.all) {
    sql += " AND (i.status = 'published'";
    if (v.organisation_id) {
      sql += " OR i.organisation_id = ?";
      params.emplace_back(*v.organisation_id);
    }
    for (const auto& block : v.blocks) {
      sql += " OR i.block_id = ?";
      params.emplace_back(block);
    }
    sql += ")";
  }
  if (f.status) {
    sql += " AND i.status = ?";
    params.emplace_back(std::string(to_string(*f.status)));
  }
  for (const std::string& term : f.terms) {
    if (term_length(term) >= 3 && postgresql) {
      sql += " AND i.search_text LIKE ? ESCAPE '\\'";
      params.emplace_back(like_pattern(term));
    } else if (term_length(term) >= 3) {
      sql += " AND i.id IN (SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH ?)";
      params.emplace_back(fts_phrase(term));
    } else {
      sql += " AND i.id IN (SELECT item_id FROM knowledge_grams WHERE gram = ?)";
      params.emplace_back(term);
    }
  }
  auto equal = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    sql += fmt::format(" AND i.{} = ?", column);
    params.emplace_back(value);
  };
  auto has = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    sql += fmt::format(" AND i.{} LIKE ?", column);
    params.emplace_back("%," + value + ",%");
  };
  equal("category", f.category);
  equal("block_id", f.block_id);
  equal("outcome", f.outcome);
  has("school_types", f.school_type);
  has("effects", f.effect);
  has("stakeholders", f.stakeholder);
  return sql;
}

}  // namespace

Result<std::int64_t> save_item(db::Transaction& tx, const Item& i, const std::string& search_text) {
  db::Params params = {std::string(to_string(i.kind)),
                       std::string(to_string(i.status)),
                       i.title,
                       i.summary,
                       i.body,
                       i.advice,
                       i.outcome,
                       i.block_id,
                       i.prefecture,
                       join_codes(i.school_types),
                       i.category,
                       i.subtype,
                       join_codes(i.effects),
                       i.effect_industry,
                       i.effect_education,
                       figures_json(i.figures),
                       join_codes(i.stakeholders),
                       db::nullable(i.operator_id),
                       db::nullable(i.organisation_id),
                       i.projects,
                       std::int64_t(i.consent ? 1 : 0),
                       i.consent_note,
                       i.source,
                       std::int64_t(i.year),
                       search_text,
                       findings_json(i.pii_findings),
                       db::nullable(i.pii_checked_at),
                       i.pii_accepted_reason,
                       i.review_comment,
                       i.withdrawn_reason,
                       db::nullable(i.created_by),
                       i.created_at,
                       i.updated_at,
                       db::nullable(i.published_at)};
  std::int64_t id = i.id;
  if (id == 0) {
    auto inserted = tx.insert(
        "INSERT INTO knowledge_items (kind, status, title, summary, body, advice, outcome, block_id, prefecture, "
        "school_types, category, subtype, effects, effect_industry, effect_education, figures, stakeholders, operator_id, "
        "organisation_id, projects, consent, consent_note, source, year, search_text, pii_findings, pii_checked_at, "
        "pii_accepted_reason, review_comment, withdrawn_reason, created_by, created_at, updated_at, published_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params);
    if (!inserted) return inserted;
    id = *inserted;
  } else {
    params.push_back(id);
    auto updated = tx.exec(
        "UPDATE knowledge_items SET kind = ?, status = ?, title = ?, summary = ?, body = ?, advice = ?, outcome = ?, "
        "block_id = ?, prefecture = ?, school_types = ?, category = ?, subtype = ?, effects = ?, effect_industry = ?, "
        "effect_education = ?, figures = ?, stakeholders = ?, operator_id = ?, organisation_id = ?, projects = ?, "
        "consent = ?, consent_note = ?, source = ?, year = ?, search_text = ?, pii_findings = ?, pii_checked_at = ?, "
        "pii_accepted_reason = ?, review_comment = ?, withdrawn_reason = ?, created_by = ?, created_at = ?, "
        "updated_at = ?, published_at = ? WHERE id = ?",
        params);
    if (!updated) return fail(updated.error());
    if (auto done = tx.exec("DELETE FROM knowledge_grams WHERE item_id = ?", {id}); !done) return fail(done.error());
  }
  // Multi-row VALUES in batches (one SQL text for SQLite and PostgreSQL; SQLite allows 32766
  // parameters per statement).
  std::vector<std::string> list = grams(search_text);
  constexpr size_t kBatch = 500;
  for (size_t from = 0; from < list.size(); from += kBatch) {
    size_t to = std::min(list.size(), from + kBatch);
    std::string sql = "INSERT INTO knowledge_grams (gram, item_id) VALUES ";
    db::Params params;
    for (size_t i = from; i < to; ++i) {
      sql += i == from ? "(?, ?)" : ", (?, ?)";
      params.emplace_back(list[i]);
      params.emplace_back(id);
    }
    if (auto done = tx.exec(sql, params); !done) return fail(done.error());
  }
  return id;
}

Result<std::optional<Item>> find_item(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM knowledge_items WHERE id = ?", kColumns), {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Item>{};
  return std::optional<Item>{item_from_row(**row)};
}

Result<Page> search(db::Transaction& tx, const Filter& f, bool facets) {
  db::Params params;
  std::string where = where_of(f, params, tx.backend() == "postgresql");
  Page page;
  // The total and every facet count in one pass over the matching rows.
  std::string select = "count(*)";
  db::Params count_params;
  struct Slot {
    std::vector<FacetCount>* into;
    std::string code;
  };
  std::vector<Slot> slots;
  if (facets) {
    auto equal = [&](const char* column, std::vector<FacetCount>* into, std::string_view code) {
      select += fmt::format(", coalesce(sum(i.{} = ?), 0)", column);
      count_params.emplace_back(std::string(code));
      slots.push_back({into, std::string(code)});
    };
    auto has = [&](const char* column, std::vector<FacetCount>* into, std::string_view code) {
      select += fmt::format(", coalesce(sum(i.{} LIKE ?), 0)", column);
      count_params.emplace_back(fmt::format("%,{},%", code));
      slots.push_back({into, std::string(code)});
    };
    for (const Code& c : categories()) equal("category", &page.categories, c.code);
    for (const geo::Block& b : geo::blocks()) equal("block_id", &page.blocks, b.id);
    for (const Code& c : outcomes()) equal("outcome", &page.outcomes, c.code);
    for (const Code& c : school_types()) has("school_types", &page.school_types, c.code);
    for (const Code& c : effects()) has("effects", &page.effects, c.code);
  }
  count_params.insert(count_params.end(), params.begin(), params.end());
  auto counted = tx.query_one(fmt::format("SELECT {} FROM knowledge_items i WHERE {}", select, where), count_params);
  if (!counted) return fail(counted.error());
  if (*counted) {
    page.total = (*counted)->integer(0);
    for (std::size_t k = 0; k < slots.size(); ++k) {
      std::int64_t n = (*counted)->integer(k + 1);
      if (n > 0) slots[k].into->push_back({slots[k].code, n});
    }
  }
  if (page.total == 0) return page;
  db::Params list_params = params;
  list_params.emplace_back(std::int64_t(f.limit));
  list_params.emplace_back(f.offset);
  std::string columns(kColumns);
  std::string prefixed;
  {
    std::size_t start = 0;
    while (start < columns.size()) {
      std::size_t comma = columns.find(", ", start);
      std::string name = columns.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!prefixed.empty()) prefixed += ", ";
      prefixed += "i." + name;
      if (comma == std::string::npos) break;
      start = comma + 2;
    }
  }
  const char* order = f.visibility.published_only ? "i.published_at DESC, i.id DESC" : "i.updated_at DESC, i.id DESC";
  auto rows = tx.query(fmt::format("SELECT {} FROM knowledge_items i WHERE {} ORDER BY {} LIMIT ? OFFSET ?", prefixed,
                                   where, order),
                       list_params);
  if (!rows) return fail(rows.error());
  for (const auto& r : *rows) page.items.push_back(item_from_row(r));
  return page;
}

Result<std::int64_t> count_like_scan(db::Transaction& tx, const std::string& term) {
  return tx.scalar("SELECT count(*) FROM knowledge_items WHERE kind = 'case' AND status = 'published' AND search_text LIKE ?",
                   {"%" + term + "%"});
}

Result<std::vector<Item>> published(db::Transaction& tx, Kind kind) {
  auto rows = tx.query(fmt::format("SELECT {} FROM knowledge_items WHERE kind = ? AND status = 'published' "
                                   "ORDER BY published_at DESC, id DESC",
                                   kColumns),
                       {std::string(to_string(kind))});
  if (!rows) return fail(rows.error());
  std::vector<Item> out;
  for (const auto& r : *rows) out.push_back(item_from_row(r));
  return out;
}

Result<std::optional<std::string>> last_published_at(db::Transaction& tx) {
  auto row = tx.query_one("SELECT max(published_at) FROM knowledge_items WHERE status = 'published'");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return (*row)->optional_text(0);
}

Result<std::int64_t> count_status(db::Transaction& tx, Status status) {
  return tx.scalar("SELECT count(*) FROM knowledge_items WHERE status = ?", {std::string(to_string(status))});
}

Result<std::int64_t> insert_photo(db::Transaction& tx, const Photo& p, const std::string& bytes,
                                  std::optional<std::int64_t> added_by) {
  return tx.insert(
      "INSERT INTO knowledge_photos (item_id, caption, content_type, bytes, sha256, removed, added_by, added_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {p.item_id, p.caption, p.content_type, db::Blob{bytes}, p.sha256, p.removed, db::nullable(added_by), p.added_at});
}

Result<std::vector<Photo>> photos_of(db::Transaction& tx, std::int64_t item_id) {
  auto rows = tx.query(
      "SELECT id, item_id, caption, content_type, length(bytes), sha256, removed, added_at FROM knowledge_photos "
      "WHERE item_id = ? ORDER BY id",
      {item_id});
  if (!rows) return fail(rows.error());
  std::vector<Photo> out;
  for (const auto& r : *rows)
    out.push_back({r.integer(0), r.integer(1), r.text(2), r.text(3), r.integer(4), r.text(5), r.text(6), r.text(7)});
  return out;
}

Result<std::optional<std::pair<Photo, std::string>>> photo(db::Transaction& tx, std::int64_t photo_id) {
  auto row = tx.query_one(
      "SELECT id, item_id, caption, content_type, length(bytes), sha256, removed, added_at, bytes FROM knowledge_photos "
      "WHERE id = ?",
      {photo_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::pair<Photo, std::string>>{};
  const db::Row& r = **row;
  Photo p{r.integer(0), r.integer(1), r.text(2), r.text(3), r.integer(4), r.text(5), r.text(6), r.text(7)};
  std::string bytes;
  if (const auto* blob = std::get_if<db::Blob>(&r.at(8))) bytes = blob->bytes;
  else bytes = r.text(8);
  return std::optional<std::pair<Photo, std::string>>{std::pair{std::move(p), std::move(bytes)}};
}

Result<void> delete_photo(db::Transaction& tx, std::int64_t photo_id) {
  return tx.exec("DELETE FROM knowledge_photos WHERE id = ?", {photo_id});
}

Result<std::vector<Stakeholder>> stakeholders(db::Transaction& tx) {
  auto rows = tx.query(
      "SELECT s.code, s.position, s.name, s.roles, s.actions, "
      "(SELECT count(*) FROM knowledge_items i WHERE i.kind = 'case' AND i.status = 'published' "
      "  AND i.stakeholders LIKE '%,' || s.code || ',%'), "
      "(SELECT count(*) FROM knowledge_items i WHERE i.kind = 'lesson' AND i.status = 'published' "
      "  AND i.stakeholders LIKE '%,' || s.code || ',%') "
      "FROM knowledge_stakeholders s ORDER BY s.position");
  if (!rows) return fail(rows.error());
  std::vector<Stakeholder> out;
  for (const auto& r : *rows)
    out.push_back({r.text(0), int(r.integer(1)), r.text(2), r.text(3), r.text(4), int(r.integer(5)), int(r.integer(6))});
  return out;
}

Result<bool> update_stakeholder(db::Transaction& tx, const std::string& code, const std::string& roles,
                                const std::string& actions, Instant now) {
  auto done = tx.exec("UPDATE knowledge_stakeholders SET roles = ?, actions = ?, updated_at = ? WHERE code = ?",
                      {roles, actions, iso_utc(now), code});
  if (!done) return fail(done.error());
  return tx.changes() > 0;
}

Result<std::int64_t> insert_import(db::Transaction& tx, const std::string& file_name, const std::string& bytes,
                                   const std::string& headers_json, std::int64_t rows, std::int64_t created_by,
                                   Instant now) {
  return tx.insert(
      "INSERT INTO knowledge_imports (file_name, bytes, headers, row_count, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {file_name, db::Blob{bytes}, headers_json, rows, created_by, iso_utc(now)});
}

Result<std::optional<ImportRow>> find_import(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(
      "SELECT id, file_name, headers, row_count, imported_at, bytes FROM knowledge_imports WHERE id = ?", {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<ImportRow>{};
  const db::Row& r = **row;
  ImportRow out{r.integer(0), r.text(1), r.text(2), r.integer(3), r.optional_text(4), {}};
  if (const auto* blob = std::get_if<db::Blob>(&r.at(5))) out.bytes = blob->bytes;
  else out.bytes = r.text(5);
  return std::optional<ImportRow>{std::move(out)};
}

Result<void> mark_imported(db::Transaction& tx, std::int64_t id, Instant now) {
  return tx.exec("UPDATE knowledge_imports SET imported_at = ? WHERE id = ?", {iso_utc(now), id});
}

}  // namespace kakehashi::knowledge::store

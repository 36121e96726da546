#include "effects/store.h"

#include <fmt/format.h>

#include "base/date.h"

namespace kakehashi::effects::store {
namespace {

std::string id_list(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (std::int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out.empty() ? "NULL" : out;
}

Result<std::vector<Kpi>> select_kpis(db::Transaction& tx, const std::string& where, const db::Params& params) {
  auto rows = tx.query(
      "SELECT id, operator_id, project_id, block_id, name, unit, kind, shared_key, cumulative, baseline, target, "
      "created_at, updated_at FROM effect_kpis " + where + " ORDER BY operator_id, id",
      params);
  if (!rows) return fail(rows.error());
  std::vector<Kpi> out;
  for (const auto& r : *rows) {
    Kpi k;
    k.id = r.integer(0);
    k.operator_id = r.integer(1);
    k.project_id = r.optional_integer(2);
    k.block_id = r.text(3);
    k.name = r.text(4);
    k.unit = r.text(5);
    k.kind = kpi_kind_from(r.text(6)).value_or(KpiKind::kActivity);
    k.shared_key = r.text(7);
    k.cumulative = r.integer(8) != 0;
    k.baseline = r.real(9);
    k.target = r.real(10);
    k.created_at = r.text(11);
    k.updated_at = r.text(12);
    out.push_back(std::move(k));
  }
  if (out.empty()) return out;
  std::vector<std::int64_t> ids;
  for (const Kpi& k : out) ids.push_back(k.id);
  auto actuals = tx.query(
      "SELECT id, kpi_id, period, value, source, evidence, recorded_at FROM effect_kpi_actuals WHERE kpi_id IN (" +
      id_list(ids) + ") ORDER BY kpi_id, period");
  if (!actuals) return fail(actuals.error());
  for (const auto& r : *actuals) {
    Actual a{r.integer(0), r.integer(1), r.text(2), r.real(3), r.text(4), r.text(5), r.text(6)};
    for (Kpi& k : out)
      if (k.id == a.kpi_id) k.actuals.push_back(a);
  }
  return out;
}

Result<std::vector<Survey>> select_surveys(db::Transaction& tx, const std::string& where, const db::Params& params) {
  auto rows = tx.query(
      "SELECT id, operator_id, project_id, block_id, title, mapping, config, result, pairs, analysed_at, created_at, "
      "updated_at FROM effect_surveys " + where + " ORDER BY operator_id, id",
      params);
  if (!rows) return fail(rows.error());
  std::vector<Survey> out;
  for (const auto& r : *rows) {
    Survey s;
    s.id = r.integer(0);
    s.operator_id = r.integer(1);
    s.project_id = r.optional_integer(2);
    s.block_id = r.text(3);
    s.title = r.text(4);
    s.mapping = mapping_from_json(r.text(5));
    s.config = r.text(6);
    s.result = r.text(7);
    s.pairs = r.integer(8);
    s.analysed_at = r.optional_text(9);
    s.created_at = r.text(10);
    s.updated_at = r.text(11);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Result<std::vector<Kpi>> kpis(db::Transaction& tx, const std::vector<std::int64_t>& operator_ids) {
  return select_kpis(tx, "WHERE operator_id IN (" + id_list(operator_ids) + ")", {});
}

Result<std::optional<Kpi>> find_kpi(db::Transaction& tx, std::int64_t id) {
  auto found = select_kpis(tx, "WHERE id = ?", {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<Kpi>{};
  return std::optional<Kpi>{std::move(found->front())};
}

Result<std::int64_t> insert_kpi(db::Transaction& tx, const Kpi& k, Instant now) {
  return tx.insert(
      "INSERT INTO effect_kpis (operator_id, project_id, block_id, name, unit, kind, shared_key, cumulative, baseline, "
      "target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {k.operator_id, db::nullable(k.project_id), k.block_id, k.name, k.unit, std::string(to_string(k.kind)),
       k.shared_key, std::int64_t(k.cumulative ? 1 : 0), k.baseline, k.target, iso_utc(now), iso_utc(now)});
}

Result<void> update_kpi(db::Transaction& tx, const Kpi& k, Instant now) {
  return tx.exec(
      "UPDATE effect_kpis SET project_id = ?, block_id = ?, name = ?, unit = ?, kind = ?, shared_key = ?, cumulative = ?, "
      "baseline = ?, target = ?, updated_at = ? WHERE id = ?",
      {db::nullable(k.project_id), k.block_id, k.name, k.unit, std::string(to_string(k.kind)), k.shared_key,
       std::int64_t(k.cumulative ? 1 : 0), k.baseline, k.target, iso_utc(now), k.id});
}

Result<void> delete_survey(db::Transaction& tx, std::int64_t id) {
  if (auto r = tx.exec("DELETE FROM effect_survey_files WHERE survey_id = ?", {id}); !r) return r;
  return tx.exec("DELETE FROM effect_surveys WHERE id = ?", {id});
}

Result<void> delete_kpi(db::Transaction& tx, std::int64_t id) {
  if (auto r = tx.exec("DELETE FROM effect_kpi_actuals WHERE kpi_id = ?", {id}); !r) return r;
  return tx.exec("DELETE FROM effect_kpis WHERE id = ?", {id});
}

Result<void> upsert_actual(db::Transaction& tx, std::int64_t kpi_id, const Actual& a, std::int64_t by, Instant now) {
  if (auto r = tx.exec(
          "INSERT INTO effect_kpi_actuals (kpi_id, period, value, source, evidence, recorded_at, recorded_by) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kpi_id, period) DO UPDATE SET value = excluded.value, "
          "source = excluded.source, evidence = excluded.evidence, recorded_at = excluded.recorded_at, "
          "recorded_by = excluded.recorded_by",
          {kpi_id, a.period, a.value, a.source, a.evidence, iso_utc(now), by});
      !r)
    return r;
  return tx.exec("UPDATE effect_kpis SET updated_at = ? WHERE id = ?", {iso_utc(now), kpi_id});
}

Result<std::vector<Survey>> surveys(db::Transaction& tx, const std::vector<std::int64_t>& operator_ids) {
  return select_surveys(tx, "WHERE operator_id IN (" + id_list(operator_ids) + ")", {});
}

Result<std::optional<Survey>> find_survey(db::Transaction& tx, std::int64_t id) {
  auto found = select_surveys(tx, "WHERE id = ?", {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<Survey>{};
  return std::optional<Survey>{std::move(found->front())};
}

Result<std::int64_t> insert_survey(db::Transaction& tx, const Survey& s, Instant now) {
  return tx.insert(
      "INSERT INTO effect_surveys (operator_id, project_id, block_id, title, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {s.operator_id, db::nullable(s.project_id), s.block_id, s.title, iso_utc(now), iso_utc(now)});
}

Result<void> set_mapping(db::Transaction& tx, std::int64_t id, const std::string& mapping, Instant now) {
  return tx.exec("UPDATE effect_surveys SET mapping = ?, updated_at = ? WHERE id = ?", {mapping, iso_utc(now), id});
}

Result<void> set_result(db::Transaction& tx, std::int64_t id, const std::string& config, const std::string& result,
                        std::int64_t pairs, Instant now) {
  return tx.exec(
      "UPDATE effect_surveys SET config = ?, result = ?, pairs = ?, analysed_at = ?, updated_at = ? WHERE id = ?",
      {config, result, pairs, iso_utc(now), iso_utc(now), id});
}

namespace {
SurveyFile file_of(const db::Row& r) {
  SurveyFile f;
  f.id = r.integer(0);
  f.survey_id = r.integer(1);
  f.wave = r.text(2) == "post" ? Wave::kPost : Wave::kPre;
  f.staged = r.text(3) == "staged";
  f.file_name = r.text(4);
  f.sha256 = r.text(5);
  f.size = r.integer(6);
  f.inspection = r.text(7);
  f.uploaded_at = r.text(8);
  return f;
}
constexpr std::string_view kFileColumns =
    "id, survey_id, wave, state, file_name, sha256, size, inspection, uploaded_at";
}  // namespace

Result<std::vector<SurveyFile>> files(db::Transaction& tx, std::int64_t survey_id) {
  auto rows = tx.query(fmt::format("SELECT {} FROM effect_survey_files WHERE survey_id = ? ORDER BY state DESC, wave DESC",
                                   kFileColumns),
                       {survey_id});
  if (!rows) return fail(rows.error());
  std::vector<SurveyFile> out;
  for (const auto& r : *rows) out.push_back(file_of(r));
  return out;
}

Result<std::optional<std::pair<SurveyFile, std::string>>> file_content(db::Transaction& tx, std::int64_t survey_id,
                                                                       Wave wave, bool staged) {
  auto row = tx.query_one(
      fmt::format("SELECT {}, content FROM effect_survey_files WHERE survey_id = ? AND wave = ? AND state = ?",
                  kFileColumns),
      {survey_id, std::string(to_string(wave)), std::string(staged ? "staged" : "used")});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::pair<SurveyFile, std::string>>{};
  std::string content;
  const db::Value& v = (*row)->at(9);
  if (const auto* blob = std::get_if<db::Blob>(&v)) content = blob->bytes;
  else if (const auto* text = std::get_if<std::string>(&v)) content = *text;
  return std::optional<std::pair<SurveyFile, std::string>>{std::pair{file_of(**row), std::move(content)}};
}

Result<void> stage_file(db::Transaction& tx, std::int64_t survey_id, Wave wave, const InspectedUpload& file,
                        std::int64_t by, Instant now) {
  if (auto r = tx.exec("DELETE FROM effect_survey_files WHERE survey_id = ? AND wave = ? AND state = 'staged'",
                       {survey_id, std::string(to_string(wave))});
      !r)
    return r;
  return tx.exec(
      "INSERT INTO effect_survey_files (survey_id, wave, state, file_name, sha256, size, content, inspection, "
      "uploaded_at, uploaded_by) VALUES (?, ?, 'staged', ?, ?, ?, ?, ?, ?, ?)",
      {survey_id, std::string(to_string(wave)), file.file_name, file.sha256, std::int64_t(file.bytes.size()),
       db::Blob{file.bytes}, file.inspection, iso_utc(now), by});
}

Result<void> promote_staged(db::Transaction& tx, std::int64_t survey_id) {
  if (auto r = tx.exec("DELETE FROM effect_survey_files WHERE survey_id = ? AND state = 'used'", {survey_id}); !r)
    return r;
  return tx.exec("UPDATE effect_survey_files SET state = 'used' WHERE survey_id = ? AND state = 'staged'", {survey_id});
}

}  // namespace kakehashi::effects::store

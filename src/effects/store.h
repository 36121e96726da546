// The effects module's SQL (private to the module): KPIs, actuals, surveys and their files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "effects/model.h"

namespace kakehashi::effects::store {

[[nodiscard]] Result<std::vector<Kpi>> kpis(db::Transaction& tx, const std::vector<std::int64_t>& operator_ids);
[[nodiscard]] Result<std::optional<Kpi>> find_kpi(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_kpi(db::Transaction& tx, const Kpi& kpi, Instant now);
[[nodiscard]] Result<void> delete_kpi(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<void> update_kpi(db::Transaction& tx, const Kpi& kpi, Instant now);
[[nodiscard]] Result<void> delete_survey(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<void> upsert_actual(db::Transaction& tx, std::int64_t kpi_id, const Actual& actual,
                                         std::int64_t by, Instant now);

[[nodiscard]] Result<std::vector<Survey>> surveys(db::Transaction& tx, const std::vector<std::int64_t>& operator_ids);
[[nodiscard]] Result<std::optional<Survey>> find_survey(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_survey(db::Transaction& tx, const Survey& survey, Instant now);
[[nodiscard]] Result<void> set_mapping(db::Transaction& tx, std::int64_t id, const std::string& mapping, Instant now);
[[nodiscard]] Result<void> set_result(db::Transaction& tx, std::int64_t id, const std::string& config,
                                      const std::string& result, std::int64_t pairs, Instant now);

[[nodiscard]] Result<std::vector<SurveyFile>> files(db::Transaction& tx, std::int64_t survey_id);
// The content of the survey's file of `wave` in the given state; nullopt when there is none.
[[nodiscard]] Result<std::optional<std::pair<SurveyFile, std::string>>> file_content(db::Transaction& tx,
                                                                                     std::int64_t survey_id, Wave wave,
                                                                                     bool staged);
[[nodiscard]] Result<void> stage_file(db::Transaction& tx, std::int64_t survey_id, Wave wave, const InspectedUpload& file,
                                      std::int64_t by, Instant now);
// The staged files become the used ones (the previous used files are dropped).
[[nodiscard]] Result<void> promote_staged(db::Transaction& tx, std::int64_t survey_id);

}  // namespace kakehashi::effects::store

// The package module's SQL (private to src/package): chapters and their versions, builds,
// accepted exceptions. Nothing else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "package/model.h"

namespace kakehashi::package::store {

[[nodiscard]] Result<std::vector<Chapter>> chapters(db::Transaction& tx);
[[nodiscard]] Result<std::optional<Chapter>> chapter(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_chapter(db::Transaction& tx, const Chapter& c, std::optional<std::int64_t> by);
[[nodiscard]] Result<void> update_chapter(db::Transaction& tx, const Chapter& c, std::optional<std::int64_t> by);
[[nodiscard]] Result<void> insert_version(db::Transaction& tx, std::int64_t chapter_id, const ChapterVersion& v);
[[nodiscard]] Result<std::vector<ChapterVersion>> versions(db::Transaction& tx, std::int64_t chapter_id);
[[nodiscard]] Result<std::optional<ChapterVersion>> version(db::Transaction& tx, std::int64_t chapter_id, int version);
[[nodiscard]] Result<void> delete_chapter(db::Transaction& tx, std::int64_t chapter_id);

[[nodiscard]] Result<std::int64_t> insert_build(db::Transaction& tx, const Build& b);
[[nodiscard]] Result<void> update_build(db::Transaction& tx, const Build& b);
[[nodiscard]] Result<std::optional<Build>> build(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::vector<Build>> builds(db::Transaction& tx, int limit);
[[nodiscard]] Result<std::optional<Build>> running_build(db::Transaction& tx);
// The oldest build queued from the browser and not yet claimed; claiming starts it.
[[nodiscard]] Result<std::optional<std::int64_t>> oldest_queued_build(db::Transaction& tx);
[[nodiscard]] Result<void> claim_build(db::Transaction& tx, std::int64_t id, const std::string& worker, const std::string& now);
[[nodiscard]] Result<void> set_build_progress(db::Transaction& tx, std::int64_t id, const std::string& step,
                                              const std::string& now);
[[nodiscard]] Result<std::vector<Build>> running_builds(db::Transaction& tx);
[[nodiscard]] Result<std::optional<std::string>> latest_delivery(db::Transaction& tx);

[[nodiscard]] Result<std::vector<Exception>> exceptions(db::Transaction& tx);
[[nodiscard]] Result<std::int64_t> insert_exception(db::Transaction& tx, const Exception& e, std::optional<std::int64_t> by);
[[nodiscard]] Result<bool> delete_exception(db::Transaction& tx, std::int64_t id);

// ---- Operators' final reports (operator name and blocks are filled by the service).
[[nodiscard]] Result<std::vector<FinalReport>> final_reports(db::Transaction& tx);
[[nodiscard]] Result<std::optional<FinalReport>> final_report(db::Transaction& tx, std::int64_t operator_id);
[[nodiscard]] Result<std::vector<FinalReportFile>> final_report_files(db::Transaction& tx, std::int64_t report_id);
[[nodiscard]] Result<std::optional<std::string>> final_report_content(db::Transaction& tx, std::int64_t report_id, int version);
[[nodiscard]] Result<std::int64_t> insert_final_report(db::Transaction& tx, const FinalReport& r);
[[nodiscard]] Result<void> update_final_report(db::Transaction& tx, const FinalReport& r, std::optional<std::int64_t> reviewed_by);
[[nodiscard]] Result<void> insert_final_report_file(db::Transaction& tx, std::int64_t report_id, const FinalReportFile& f,
                                                    const std::string& content, const std::string& inspection,
                                                    std::optional<std::int64_t> by);
[[nodiscard]] Result<bool> reminder_sent(db::Transaction& tx, std::int64_t operator_id, const std::string& stage,
                                         const std::string& due_on);
[[nodiscard]] Result<void> insert_reminder(db::Transaction& tx, std::int64_t operator_id, const std::string& stage,
                                           const std::string& due_on, const std::string& now);
[[nodiscard]] Result<std::optional<std::string>> setting(db::Transaction& tx, const std::string& key);
[[nodiscard]] Result<void> set_setting(db::Transaction& tx, const std::string& key, const std::string& value);
[[nodiscard]] Result<void> delete_setting(db::Transaction& tx, const std::string& key);

}  // namespace kakehashi::package::store

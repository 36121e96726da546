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

[[nodiscard]] Result<std::int64_t> insert_build(db::Transaction& tx, const Build& b);
[[nodiscard]] Result<void> update_build(db::Transaction& tx, const Build& b);
[[nodiscard]] Result<std::optional<Build>> build(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::vector<Build>> builds(db::Transaction& tx, int limit);
[[nodiscard]] Result<std::optional<Build>> running_build(db::Transaction& tx);
// The oldest build queued from the browser and not yet claimed; claiming starts it.
[[nodiscard]] Result<std::optional<std::int64_t>> oldest_queued_build(db::Transaction& tx);
[[nodiscard]] Result<void> claim_build(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<void> set_build_progress(db::Transaction& tx, std::int64_t id, const std::string& step);
[[nodiscard]] Result<std::optional<std::string>> latest_delivery(db::Transaction& tx);

[[nodiscard]] Result<std::vector<Exception>> exceptions(db::Transaction& tx);
[[nodiscard]] Result<std::int64_t> insert_exception(db::Transaction& tx, const Exception& e, std::optional<std::int64_t> by);
[[nodiscard]] Result<bool> delete_exception(db::Transaction& tx, std::int64_t id);

}  // namespace kakehashi::package::store

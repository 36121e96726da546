// operations' SQL for activity-list imports and the remembered column mappings (private).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "operations/imports.h"

namespace kakehashi::operations::store {

[[nodiscard]] Result<std::int64_t> insert_import(db::Transaction& tx, const ActivityImport& info,
                                                 std::string_view content, std::optional<std::int64_t> by, Instant now);
[[nodiscard]] Result<std::optional<ActivityImport>> find_import(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::string> import_content(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::vector<ActivityImport>> imports_of(db::Transaction& tx, std::int64_t operator_id);
[[nodiscard]] Result<void> set_decisions(db::Transaction& tx, std::int64_t id, const std::string& decisions);
// Confirmed or discarded: the state, the summary, and the file dropped.
[[nodiscard]] Result<void> close_import(db::Transaction& tx, std::int64_t id, ImportState state,
                                        const std::string& summary, Instant now);

[[nodiscard]] Result<std::optional<std::string>> mapping_of(db::Transaction& tx, std::int64_t operator_id);
[[nodiscard]] Result<void> save_mapping(db::Transaction& tx, std::int64_t operator_id, const std::string& mapping,
                                        Instant now);

}  // namespace kakehashi::operations::store

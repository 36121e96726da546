// The report package's rules (issue 25, R6): chapters (written ones versioned, with review
// status), the gate's accepted exceptions, the builds and their delivery. No HTTP, no SQL:
// store.h holds the SQL. Who may do what comes from the policy table (kViewPackage: METI and the
// secretariat; kManagePackage: the secretariat; kAcceptPackage: METI).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "base/date.h"
#include "base/result.h"
#include "db/database.h"
#include "package/model.h"

namespace kakehashi::package {

// ---- Chapters
[[nodiscard]] Result<std::vector<Chapter>> list_chapters(db::Transaction& tx, const auth::Principal& who);
// nullopt when unknown or `who` may not view the package (404 either way).
[[nodiscard]] Result<std::optional<Chapter>> find_chapter(db::Transaction& tx, const auth::Principal& who,
                                                          std::int64_t id);
[[nodiscard]] Result<std::vector<ChapterVersion>> chapter_versions(db::Transaction& tx, const auth::Principal& who,
                                                                   std::int64_t id);
// Every error of a written chapter at once: title (1–60 characters), body (parsed by the
// document engine: the error names the line; no "# " chapter heading inside; rights lines
// well-formed).
std::vector<FieldError> validate_chapter(const std::string& title, const std::string& markdown);
// A new written chapter placed before the annex (kManagePackage; audited "package.chapter_created").
[[nodiscard]] Result<std::int64_t> create_chapter(db::Transaction& tx, const auth::Principal& who,
                                                  const std::string& title, const std::string& markdown, Instant now);
// Saves a new version of a written chapter and sets it back to 下書き when the text changed
// (kManagePackage; audited "package.chapter_saved").
[[nodiscard]] Result<void> save_chapter(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                        const std::string& title, const std::string& markdown, Instant now);
// Moves a chapter to `position` (the order of the report; kManagePackage; audited
// "package.chapter_moved").
[[nodiscard]] Result<void> move_chapter(db::Transaction& tx, const auth::Principal& who, std::int64_t id, int position,
                                        Instant now);
// Deletes a written chapter with all its versions (kManagePackage; not 様式1's text; audited
// "package.chapter_deleted" with the number of versions).
[[nodiscard]] Result<void> delete_chapter(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now);
// The text of a written chapter that goes into the report: its last approved version (確認済み),
// nullopt when it has none.
[[nodiscard]] Result<std::optional<ChapterVersion>> approved_text(db::Transaction& tx, const Chapter& chapter);
// 下書き → 確認中 → 確認済み, or back (kManagePackage; audited "package.chapter_reviewed").
// 確認済み records the current version as the approved one (kept when the text changes later).
[[nodiscard]] Result<void> set_review_status(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                             ReviewStatus status, Instant now);

// ---- The gate's accepted exceptions (kManagePackage; audited "package.exception_accepted" /
// "package.exception_removed" with the key and, for acceptance, the reason's length only).
[[nodiscard]] Result<std::vector<Exception>> list_exceptions(db::Transaction& tx, const auth::Principal& who);
[[nodiscard]] Result<std::int64_t> accept_exception(db::Transaction& tx, const auth::Principal& who,
                                                    const std::string& finding_key, const std::string& reason,
                                                    Instant now);
[[nodiscard]] Result<void> remove_exception(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                            Instant now);

// ---- Builds
[[nodiscard]] Result<std::vector<Build>> list_builds(db::Transaction& tx, const auth::Principal& who, int limit = 20);
[[nodiscard]] Result<std::optional<Build>> find_build(db::Transaction& tx, const auth::Principal& who,
                                                      std::int64_t id);
// Queues a build for the server's background task (kManagePackage; "package.build_started").
// Refused with kConflict while another build runs.
[[nodiscard]] Result<std::int64_t> queue_build(db::Transaction& tx, const auth::Principal& who,
                                               const std::string& out_dir, Instant now);
// The same, writing into ROOT/<build id> (the server's folder for packages).
[[nodiscard]] Result<std::int64_t> queue_build_in(db::Transaction& tx, const auth::Principal& who,
                                                  const std::string& root, Instant now);
// A build whose worker is gone does not block the next one: every running build claimed by a
// process of this host that no longer runs, or silent (no progress) for longer than `timeout`, and
// every build queued for longer than `timeout` without a worker, is marked failed with the reason in
// Japanese (audited "package.build_recovered"). Called before a build is queued or claimed.
// Returns how many were recovered.
inline constexpr std::chrono::seconds kStaleBuildTimeout{30 * 60};
[[nodiscard]] Result<int> recover_stale_builds(db::Transaction& tx, Instant now,
                                               std::chrono::seconds timeout = kStaleBuildTimeout);
// "host:pid" of this process, recorded with a claimed build.
std::string this_worker();
// The reasons recover_stale_builds gives.
inline constexpr std::string_view kWorkerGone =
    "作成中に処理が止まりました（サーバーの再起動など）。もう一度作成してください。";
inline constexpr std::string_view kWorkerSilent =
    "30分以上進み具合の報告がないため、中断したものとみなしました。もう一度作成してください。";
inline constexpr std::string_view kNeverClaimed =
    "作成を待つ間に作成の処理が動かなかったため、取り消しました。もう一度作成してください。";

// METI accepts a built package as delivered (kAcceptPackage; "package.delivered").
[[nodiscard]] Result<void> mark_delivered(db::Transaction& tx, const auth::Principal& who, std::int64_t build_id,
                                          Instant now);

// For other modules (the information-management module's close-out): when the latest package
// was accepted as delivered, nullopt while none was. No permission check: a date only.
[[nodiscard]] Result<std::optional<Instant>> delivered_at(db::Transaction& tx);

// The message two builds at once get.
inline constexpr std::string_view kBuildRunning =
    "別の報告書パッケージを作成中です。終わってから、もう一度実行してください。";

}  // namespace kakehashi::package

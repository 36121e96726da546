// Chapters, exceptions, builds and delivery: the package module's rules.
#include "package/service.h"

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>

#include <boost/json.hpp>

#include "audit/audit.h"
#include "auth/policy.h"
#include "base/text.h"
#include "compliance/closeout.h"
#include "docs/markdown.h"
#include "package/build.h"
#include "package/store.h"

namespace kakehashi::package {
namespace {

audit::Actor actor_of(const auth::Principal& who) {
  return who.user_id > 0 ? audit::Actor::user(who.user_id) : audit::Actor::system();
}
std::optional<std::int64_t> user_of(const auth::Principal& who) {
  return who.user_id > 0 ? std::optional<std::int64_t>{who.user_id} : std::nullopt;
}

Result<void> audit_entry(db::Transaction& tx, const auth::Principal& who, std::string action, std::string object,
                         const boost::json::object& detail, Instant now) {
  auto r = audit::record(tx, audit::entry_by(actor_of(who), std::move(action), std::move(object),
                                             boost::json::serialize(detail)),
                         now);
  if (!r) return fail(r.error());
  return {};
}

Result<void> require(const auth::Principal& who, auth::Action action) {
  if (!auth::allowed(who, action)) return fail(Error::denied("この操作を行う権限がありません。"));
  return {};
}

Result<Chapter> written_chapter(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = require(who, auth::Action::kManagePackage); !r) return fail(r.error());
  auto c = store::chapter(tx, id);
  if (!c) return fail(c.error());
  if (!*c) return fail(Error::not_found("章が見つかりません。"));
  if ((*c)->kind != ChapterKind::kWritten)
    return fail(Error::invalid("自動作成の章は本文を編集できません。元のデータを直してください。"));
  return std::move(**c);
}

}  // namespace

Result<std::vector<Chapter>> list_chapters(db::Transaction& tx, const auth::Principal& who) {
  if (auto r = require(who, auth::Action::kViewPackage); !r) return fail(r.error());
  return store::chapters(tx);
}

Result<std::optional<Chapter>> find_chapter(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (!auth::allowed(who, auth::Action::kViewPackage)) return std::optional<Chapter>{};
  return store::chapter(tx, id);
}

Result<std::vector<ChapterVersion>> chapter_versions(db::Transaction& tx, const auth::Principal& who,
                                                     std::int64_t id) {
  if (auto r = require(who, auth::Action::kViewPackage); !r) return fail(r.error());
  return store::versions(tx, id);
}

std::vector<FieldError> validate_chapter(const std::string& title, const std::string& markdown) {
  std::vector<FieldError> errors;
  std::size_t n = text::count_code_points(text::trim(title));
  if (n == 0) errors.push_back({"title", "章の題名を入力してください。"});
  else if (n > 60) errors.push_back({"title", "章の題名は60文字以内で入力してください。"});
  auto split = extract_rights(markdown);
  for (const auto& e : split.errors) errors.push_back({"markdown", e});
  std::size_t line_no = 0, start = 0;
  bool in_code = false;
  while (start <= markdown.size()) {
    std::size_t end = markdown.find('\n', start);
    std::string_view line(markdown.data() + start, (end == std::string::npos ? markdown.size() : end) - start);
    ++line_no;
    if (line.starts_with("```")) in_code = !in_code;
    if (!in_code && (line.starts_with("# ") || line == "#")) {
      errors.push_back({"markdown", fmt::format("{}行目: 本文に章の見出し（# ）は書けません。節は ## で書いてください。", line_no)});
      break;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (split.errors.empty()) {
    auto doc = docs::parse_markdown("# " + std::string(text::trim(title).empty() ? "章" : text::trim(title)) + "\n\n" + split.markdown);
    if (!doc) {
      // The engine counts the heading and the blank line we put before the body.
      std::string message = doc.error().message;
      int at = 0;
      if (std::sscanf(message.c_str(), "%d行目", &at) == 1 && at > 2) {
        auto pos = message.find("行目");
        message = fmt::format("{}{}", at - 2, message.substr(pos));
      }
      errors.push_back({"markdown", message});
    }
  }
  return errors;
}

Result<std::int64_t> create_chapter(db::Transaction& tx, const auth::Principal& who, const std::string& title,
                                    const std::string& markdown, Instant now) {
  if (auto r = require(who, auth::Action::kManagePackage); !r) return fail(r.error());
  if (auto errors = validate_chapter(title, markdown); !errors.empty()) return fail(Error::invalid(errors.front().message));
  auto all = store::chapters(tx);
  if (!all) return fail(all.error());
  int position = 1;
  for (const auto& c : *all)
    if (c.position < 90) position = std::max(position, c.position + 1);
  Chapter c;
  c.position = position;
  c.kind = ChapterKind::kWritten;
  c.title = std::string(text::trim(title));
  c.markdown = markdown;
  c.version = 1;
  c.updated_at = iso_utc(now);
  auto id = store::insert_chapter(tx, c, user_of(who));
  if (!id) return fail(id.error());
  if (auto r = store::insert_version(tx, *id, {1, c.title, markdown, c.updated_at, user_of(who)}); !r) return fail(r.error());
  if (auto r = audit_entry(tx, who, "package.chapter_created", fmt::format("package_chapter:{}", *id),
                           {{"version", 1}}, now);
      !r)
    return fail(r.error());
  return *id;
}

Result<void> save_chapter(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& title,
                          const std::string& markdown, Instant now) {
  auto c = written_chapter(tx, who, id);
  if (!c) return fail(c.error());
  if (auto errors = validate_chapter(title, markdown); !errors.empty()) return fail(Error::invalid(errors.front().message));
  std::string clean_title(text::trim(title));
  if (clean_title == c->title && markdown == c->markdown) return {};
  c->title = clean_title;
  c->markdown = markdown;
  c->version += 1;
  c->review_status = ReviewStatus::kDraft;
  c->updated_at = iso_utc(now);
  if (auto r = store::update_chapter(tx, *c, user_of(who)); !r) return r;
  if (auto r = store::insert_version(tx, id, {c->version, c->title, markdown, c->updated_at, user_of(who)}); !r) return r;
  return audit_entry(tx, who, "package.chapter_saved", fmt::format("package_chapter:{}", id),
                     {{"version", c->version}}, now);
}

Result<void> set_review_status(db::Transaction& tx, const auth::Principal& who, std::int64_t id, ReviewStatus status,
                               Instant now) {
  auto c = written_chapter(tx, who, id);
  if (!c) return fail(c.error());
  if (c->review_status == status) return {};
  c->review_status = status;
  if (status == ReviewStatus::kApproved) c->approved_version = c->version;
  c->updated_at = iso_utc(now);
  if (auto r = store::update_chapter(tx, *c, user_of(who)); !r) return r;
  return audit_entry(tx, who, "package.chapter_reviewed", fmt::format("package_chapter:{}", id),
                     {{"status", std::string(to_string(status))}, {"version", c->version}}, now);
}

Result<void> delete_chapter(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now) {
  auto c = written_chapter(tx, who, id);
  if (!c) return fail(c.error());
  if (c->source == "form1") return fail(Error::invalid("様式1（概要）の章は削除できません。"));
  if (auto r = store::delete_chapter(tx, id); !r) return r;
  return audit_entry(tx, who, "package.chapter_deleted", fmt::format("package_chapter:{}", id), {{"versions", c->version}},
                     now);
}

Result<std::optional<ChapterVersion>> approved_text(db::Transaction& tx, const Chapter& chapter) {
  if (!chapter.approved_version) return std::optional<ChapterVersion>{};
  if (*chapter.approved_version == chapter.version)
    return std::optional<ChapterVersion>{ChapterVersion{chapter.version, chapter.title, chapter.markdown, chapter.updated_at, {}}};
  return store::version(tx, chapter.id, *chapter.approved_version);
}

Result<void> move_chapter(db::Transaction& tx, const auth::Principal& who, std::int64_t id, int position, Instant now) {
  if (auto r = require(who, auth::Action::kManagePackage); !r) return r;
  auto c = store::chapter(tx, id);
  if (!c) return fail(c.error());
  if (!*c) return fail(Error::not_found("章が見つかりません。"));
  if (position < 1 || position > 999) return fail(Error::invalid("章の位置は 1 から 999 で指定してください。"));
  (*c)->position = position;
  (*c)->updated_at = iso_utc(now);
  if (auto r = store::update_chapter(tx, **c, user_of(who)); !r) return r;
  return audit_entry(tx, who, "package.chapter_moved", fmt::format("package_chapter:{}", id), {{"position", position}}, now);
}

Result<std::vector<Exception>> list_exceptions(db::Transaction& tx, const auth::Principal& who) {
  if (auto r = require(who, auth::Action::kViewPackage); !r) return fail(r.error());
  return store::exceptions(tx);
}

Result<std::int64_t> accept_exception(db::Transaction& tx, const auth::Principal& who, const std::string& finding_key,
                                      const std::string& reason, Instant now) {
  if (auto r = require(who, auth::Action::kManagePackage); !r) return fail(r.error());
  std::string key(text::trim(finding_key));
  if (key.empty() || std::ranges::count(key, '|') != 2)
    return fail(Error::invalid("例外にする指摘を選んでください（「ファイル|コード|場所」の形）。"));
  if (text::count_code_points(text::trim(reason)) < 5)
    return fail(Error::invalid("例外として認める理由を5文字以上で入力してください。"));
  auto id = store::insert_exception(tx, {0, key, std::string(text::trim(reason)), iso_utc(now)}, user_of(who));
  if (!id) return fail(id.error());
  if (auto r = audit_entry(tx, who, "package.exception_accepted", fmt::format("package_exception:{}", *id),
                           {{"finding", key}}, now);
      !r)
    return fail(r.error());
  return *id;
}

Result<void> remove_exception(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now) {
  if (auto r = require(who, auth::Action::kManagePackage); !r) return fail(r.error());
  auto gone = store::delete_exception(tx, id);
  if (!gone) return fail(gone.error());
  if (!*gone) return fail(Error::not_found("例外が見つかりません。"));
  return audit_entry(tx, who, "package.exception_removed", fmt::format("package_exception:{}", id), {}, now);
}

Result<std::vector<Build>> list_builds(db::Transaction& tx, const auth::Principal& who, int limit) {
  if (auto r = require(who, auth::Action::kViewPackage); !r) return fail(r.error());
  return store::builds(tx, limit);
}

Result<std::optional<Build>> find_build(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (!auth::allowed(who, auth::Action::kViewPackage)) return std::optional<Build>{};
  return store::build(tx, id);
}

std::string this_worker() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}", host, ::getpid());
}

namespace {

// False only when the worker ran on this host and its process is gone.
bool worker_alive(const std::string& worker) {
  auto colon = worker.rfind(':');
  if (colon == std::string::npos) return true;
  std::string mine = this_worker();
  if (worker.substr(0, colon) != mine.substr(0, mine.rfind(':'))) return true;  // another host: the timeout decides
  long pid = std::strtol(worker.c_str() + colon + 1, nullptr, 10);
  if (pid <= 0) return true;
  return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

Result<int> recover_stale_builds(db::Transaction& tx, Instant now, std::chrono::seconds timeout) {
  auto running = store::running_builds(tx);
  if (!running) return fail(running.error());
  int recovered = 0;
  for (Build b : *running) {
    std::string_view reason;
    auto since = [&](const std::optional<std::string>& at) {
      auto t = at ? parse_iso_utc(*at) : parse_iso_utc(b.started_at);
      return t ? now - *t : std::chrono::seconds{0};
    };
    if (!b.claimed) {
      if (since(std::nullopt) > timeout) reason = kNeverClaimed;
    } else if (!worker_alive(b.worker)) {
      reason = kWorkerGone;
    } else if (since(b.heartbeat_at) > timeout) {
      reason = kWorkerSilent;
    }
    if (reason.empty()) continue;
    b.status = BuildStatus::kFailed;
    b.finished_at = iso_utc(now);
    b.message = std::string(reason);
    if (auto r = store::update_build(tx, b); !r) return fail(r.error());
    if (auto r = audit::record(tx, audit::entry_by(audit::Actor::system(), "package.build_recovered",
                                                   fmt::format("package_build:{}", b.id),
                                                   boost::json::serialize(boost::json::object{{"claimed", b.claimed}})),
                               now);
        !r)
      return fail(r.error());
    ++recovered;
  }
  return recovered;
}

Result<std::int64_t> queue_build(db::Transaction& tx, const auth::Principal& who, const std::string& out_dir,
                                 Instant now) {
  if (auto r = require(who, auth::Action::kManagePackage); !r) return fail(r.error());
  if (auto r = recover_stale_builds(tx, now); !r) return fail(r.error());
  auto running = store::running_build(tx);
  if (!running) return fail(running.error());
  if (*running) return fail(Error::conflict(std::string(kBuildRunning)));
  Build b;
  b.status = BuildStatus::kRunning;
  b.started_at = iso_utc(now);
  b.started_by = user_of(who);
  b.out_dir = out_dir;
  b.progress = "待機中";
  auto id = store::insert_build(tx, b);
  if (!id) return fail(id.error());
  if (auto r = audit_entry(tx, who, "package.build_started", fmt::format("package_build:{}", *id), {}, now); !r)
    return fail(r.error());
  return *id;
}

Result<std::int64_t> queue_build_in(db::Transaction& tx, const auth::Principal& who, const std::string& root,
                                    Instant now) {
  auto id = queue_build(tx, who, "", now);
  if (!id) return fail(id.error());
  auto b = store::build(tx, *id);
  if (!b) return fail(b.error());
  if (!*b) return fail(Error::internal("作成したパッケージの行が見つかりません。"));
  (*b)->out_dir = (std::filesystem::path(root) / std::to_string(*id)).string();
  if (auto r = store::update_build(tx, **b); !r) return fail(r.error());
  return *id;
}

Result<void> mark_delivered(db::Transaction& tx, const auth::Principal& who, std::int64_t build_id, Instant now) {
  if (auto r = require(who, auth::Action::kAcceptPackage); !r) return fail(r.error());
  auto b = store::build(tx, build_id);
  if (!b) return fail(b.error());
  if (!*b) return fail(Error::not_found("パッケージが見つかりません。"));
  if ((*b)->status != BuildStatus::kBuilt)
    return fail(Error::invalid("作成済みのパッケージだけを納品済みにできます。"));
  (*b)->status = BuildStatus::kDelivered;
  (*b)->delivered_at = iso_utc(now);
  if (auto r = store::update_build(tx, **b); !r) return r;
  // The close-out (R7.5) waits for this delivery: the information-management module records it.
  if (auto r = compliance::record_package_accepted(tx, who, build_id, now); !r) return r;
  return audit_entry(tx, who, "package.delivered", fmt::format("package_build:{}", build_id), {}, now);
}

Result<std::optional<Instant>> delivered_at(db::Transaction& tx) {
  auto at = store::latest_delivery(tx);
  if (!at) return fail(at.error());
  if (!*at) return std::optional<Instant>{};
  auto parsed = parse_iso_utc(**at);
  if (!parsed) return fail(parsed.error());
  return std::optional<Instant>{*parsed};
}

}  // namespace kakehashi::package

// Calls: settings, criteria, guideline documents.
#include <fmt/format.h>

#include <algorithm>

#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "call/store.h"
#include "call/store_internal.h"
#include "geo/geo.h"

namespace kakehashi::call {

std::optional<std::string_view> topic_label(std::string_view id) {
  for (const Topic& topic : kTopics) {
    if (topic.id == id) return topic.label;
  }
  return std::nullopt;
}

Phase Call::phase(Instant now) const {
  if (!published) return Phase::kDraft;
  if (now < opens_at) return Phase::kUpcoming;
  if (now < closes_at) return Phase::kOpen;
  return Phase::kClosed;
}

std::string_view phase_label(Phase phase) {
  switch (phase) {
    case Phase::kDraft: return "準備中（非公開）";
    case Phase::kUpcoming: return "公開済み・受付開始前";
    case Phase::kOpen: return "受付中";
    case Phase::kClosed: return "受付終了";
  }
  return "";
}

std::string_view decision_label(DecisionState state) {
  switch (state) {
    case DecisionState::kNone: return "未決定";
    case DecisionState::kRecorded: return "委員会決定を記録済み（承認待ち）";
    case DecisionState::kApproved: return "経済産業省が承認済み（公表前）";
    case DecisionState::kPublished: return "結果公表済み";
  }
  return "";
}

namespace detail {

std::string text_limit_problem(std::string_view label, const std::string& value, std::size_t limit) {
  std::size_t length = text::count_code_points(value);
  if (length <= limit) return {};
  return fmt::format("{}は {} 文字以内で入力してください（現在 {} 文字）", label, limit, length);
}

std::string_view peer_id(PeerReviews peer) { return peer == PeerReviews::kAfterOwn ? "after_own" : "never"; }

DecisionState decision_from(std::string_view text) {
  if (text == "recorded") return DecisionState::kRecorded;
  if (text == "approved") return DecisionState::kApproved;
  if (text == "published") return DecisionState::kPublished;
  return DecisionState::kNone;
}

}  // namespace detail

std::vector<std::string> validate(const CallSettings& s) {
  std::vector<std::string> problems;
  if (text::trim(s.title).empty()) problems.push_back("公募名を入力してください");
  if (auto p = detail::text_limit_problem("公募名", s.title, 200); !p.empty()) problems.push_back(p);
  if (auto p = detail::text_limit_problem("概要", s.summary, 4000); !p.empty()) problems.push_back(p);
  if (s.closes_at <= s.opens_at) problems.push_back("締切日時は受付開始日時より後にしてください");
  if (s.award_min <= 0) problems.push_back("交付額の下限は 1 円以上にしてください");
  if (s.award_max < s.award_min) problems.push_back("交付額の上限は下限以上にしてください");
  if (s.budget_total <= 0) problems.push_back("予算上限は 1 円以上にしてください");
  if (s.blocks.empty()) problems.push_back("対象ブロックを 1 つ以上選んでください");
  for (const auto& block : s.blocks) {
    if (!geo::find_block(block)) problems.push_back(fmt::format("対象ブロックが正しくありません: {}", block));
  }
  if (!s.blocks.empty() && s.award_min * std::int64_t(s.blocks.size()) > s.budget_total) {
    problems.push_back(fmt::format("予算上限 {} では全 {} ブロックに下限額 {} を交付できません", format_yen(s.budget_total),
                                   s.blocks.size(), format_yen(s.award_min)));
  }
  if (s.min_total && *s.min_total < 0) problems.push_back("最低合計点は 0 以上にしてください");
  if (s.reviewers_per_application < 1 || s.reviewers_per_application > 10)
    problems.push_back("1 件あたりの審査委員数は 1〜10 人にしてください");
  if (s.max_load < 1 || s.max_load > 200) problems.push_back("審査委員 1 人あたりの上限件数は 1〜200 件にしてください");
  return problems;
}

namespace {

constexpr std::string_view kCallColumns =
    "id, title, summary, opens_at, closes_at, award_min, award_max, budget_total, min_total, "
    "reviewers_per_application, max_load, peer_reviews, hide_personal, published, decision_state, approved_at, "
    "results_published_at";

Result<Call> call_from(db::Transaction& tx, const db::Row& row) {
  Call call;
  call.id = row.integer(0);
  call.title = row.text(1);
  call.summary = row.text(2);
  auto opens = parse_iso_utc(row.text(3));
  auto closes = parse_iso_utc(row.text(4));
  if (!opens || !closes) return fail(Error::internal("公募の日時が壊れています"));
  call.opens_at = *opens;
  call.closes_at = *closes;
  call.award_min = row.integer(5);
  call.award_max = row.integer(6);
  call.budget_total = row.integer(7);
  if (!row.is_null(8)) call.min_total = row.real(8);
  call.reviewers_per_application = int(row.integer(9));
  call.max_load = int(row.integer(10));
  call.peer_reviews = row.text(11) == "after_own" ? PeerReviews::kAfterOwn : PeerReviews::kNever;
  call.hide_personal = row.integer(12) != 0;
  call.published = row.integer(13) != 0;
  call.decision = detail::decision_from(row.text(14));
  call.approved_at = row.optional_text(15);
  call.results_published_at = row.optional_text(16);
  auto blocks = tx.query("SELECT block_id FROM call_blocks WHERE call_id = ?", {call.id});
  if (!blocks) return fail(blocks.error());
  for (const auto& b : *blocks) call.blocks.push_back(b.text(0));
  // Keep the blocks in the official order (north to south).
  std::vector<std::string> ordered;
  for (const auto& block : geo::blocks()) {
    if (std::find(call.blocks.begin(), call.blocks.end(), block.id) != call.blocks.end()) ordered.emplace_back(block.id);
  }
  call.blocks = std::move(ordered);
  return call;
}

Result<void> write_blocks(db::Transaction& tx, std::int64_t call_id, const std::vector<std::string>& blocks) {
  if (auto r = tx.exec("DELETE FROM call_blocks WHERE call_id = ?", {call_id}); !r) return r;
  for (const auto& block : blocks) {
    if (auto r = tx.exec("INSERT OR IGNORE INTO call_blocks (call_id, block_id) VALUES (?, ?)", {call_id, block}); !r)
      return r;
  }
  return {};
}

db::Value optional_real(const std::optional<double>& value) {
  if (!value) return db::null();
  return *value;
}

}  // namespace

Result<std::int64_t> create_call(db::Transaction& tx, const CallSettings& s, const audit::Actor& actor, Instant now) {
  if (auto problems = validate(s); !problems.empty()) return fail(Error::invalid(problems.front()));
  auto id = tx.insert(
      "INSERT INTO calls (title, summary, opens_at, closes_at, award_min, award_max, budget_total, min_total, "
      "reviewers_per_application, max_load, peer_reviews, hide_personal, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(text::trim(s.title)), s.summary, iso_utc(s.opens_at), iso_utc(s.closes_at), s.award_min, s.award_max,
       s.budget_total, optional_real(s.min_total), std::int64_t(s.reviewers_per_application), std::int64_t(s.max_load),
       std::string(detail::peer_id(s.peer_reviews)), std::int64_t(s.hide_personal), iso_utc(now),
       db::nullable(actor.user_id)});
  if (!id) return fail(id.error());
  if (auto r = write_blocks(tx, *id, s.blocks); !r) return fail(r.error());
  if (auto r = audit::record(tx, audit::entry_by(actor, "call.create", fmt::format("call:{}", *id)), now); !r)
    return fail(r.error());
  return *id;
}

Result<void> update_call(db::Transaction& tx, std::int64_t call_id, const CallSettings& s, const audit::Actor& actor,
                         Instant now) {
  auto current = find_call(tx, call_id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("公募が見つかりません"));
  const Call& call = **current;
  if (auto problems = validate(s); !problems.empty()) return fail(Error::invalid(problems.front()));
  if (call.frozen(now)) {
    if (s.title != call.title || s.opens_at != call.opens_at || s.award_min != call.award_min ||
        s.award_max != call.award_max || s.budget_total != call.budget_total || s.min_total != call.min_total ||
        s.blocks != call.blocks) {
      return fail(Error::conflict("受付開始後は公募名・受付開始日時・対象ブロック・交付額・予算・最低合計点を変更できません"));
    }
    if (s.closes_at < call.closes_at) return fail(Error::conflict("受付開始後は締切を早めることはできません（延長のみ可能です）"));
  }
  auto r = tx.exec(
      "UPDATE calls SET title = ?, summary = ?, opens_at = ?, closes_at = ?, award_min = ?, award_max = ?, "
      "budget_total = ?, min_total = ?, reviewers_per_application = ?, max_load = ?, peer_reviews = ?, "
      "hide_personal = ? WHERE id = ?",
      {std::string(text::trim(s.title)), s.summary, iso_utc(s.opens_at), iso_utc(s.closes_at), s.award_min, s.award_max,
       s.budget_total, optional_real(s.min_total), std::int64_t(s.reviewers_per_application), std::int64_t(s.max_load),
       std::string(detail::peer_id(s.peer_reviews)), std::int64_t(s.hide_personal), call_id});
  if (!r) return r;
  if (auto w = write_blocks(tx, call_id, s.blocks); !w) return w;
  auto detail = fmt::format(R"({{"closes_at":"{}"}})", iso_utc(s.closes_at));
  if (auto a = audit::record(tx, audit::entry_by(actor, "call.update", fmt::format("call:{}", call_id), detail), now); !a)
    return fail(a.error());
  return {};
}

Result<std::optional<Call>> find_call(db::Transaction& tx, std::int64_t call_id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM calls WHERE id = ?", kCallColumns), {call_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Call>{};
  auto call = call_from(tx, **row);
  if (!call) return fail(call.error());
  return std::optional<Call>{std::move(*call)};
}

Result<std::vector<Call>> list_calls(db::Transaction& tx, bool published_only) {
  auto rows = tx.query(fmt::format("SELECT {} FROM calls {} ORDER BY opens_at DESC, id DESC", kCallColumns,
                                   published_only ? "WHERE published = 1" : ""));
  if (!rows) return fail(rows.error());
  std::vector<Call> calls;
  for (const auto& row : *rows) {
    auto call = call_from(tx, row);
    if (!call) return fail(call.error());
    calls.push_back(std::move(*call));
  }
  return calls;
}

Result<void> publish_call(db::Transaction& tx, std::int64_t call_id, const audit::Actor& actor, Instant now) {
  auto call = find_call(tx, call_id);
  if (!call) return fail(call.error());
  if (!*call) return fail(Error::not_found("公募が見つかりません"));
  if ((*call)->published) return fail(Error::conflict("この公募はすでに公開されています"));
  auto count = tx.scalar("SELECT COUNT(*) FROM call_criteria WHERE call_id = ?", {call_id});
  if (!count) return fail(count.error());
  if (*count == 0) return fail(Error::invalid("審査基準を 1 つ以上登録してから公開してください"));
  if ((*call)->blocks.empty()) return fail(Error::invalid("対象ブロックを選んでから公開してください"));
  if ((*call)->closes_at <= now) return fail(Error::invalid("締切日時が過ぎています。締切を見直してから公開してください"));
  if (auto r = tx.exec("UPDATE calls SET published = 1 WHERE id = ?", {call_id}); !r) return r;
  if (auto a = audit::record(tx, audit::entry_by(actor, "call.publish", fmt::format("call:{}", call_id)), now); !a)
    return fail(a.error());
  return {};
}

Result<std::vector<Criterion>> criteria(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT id, name, description, weight, levels FROM call_criteria WHERE call_id = ? ORDER BY position, id",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<Criterion> out;
  for (const auto& row : *rows) {
    Criterion c;
    c.id = row.integer(0);
    c.name = row.text(1);
    c.description = row.text(2);
    c.weight = int(row.integer(3));
    c.descriptors.assign(std::size_t(row.integer(4)), "");
    auto levels = tx.query("SELECT level, descriptor FROM call_criterion_levels WHERE criterion_id = ?", {c.id});
    if (!levels) return fail(levels.error());
    for (const auto& level : *levels) {
      auto at = level.integer(0);
      if (at >= 1 && at <= c.levels()) c.descriptors[std::size_t(at - 1)] = level.text(1);
    }
    out.push_back(std::move(c));
  }
  return out;
}

double max_total(const std::vector<Criterion>& criteria) {
  double total = 0;
  for (const auto& c : criteria) total += double(c.weight) * c.levels();
  return total;
}

Result<std::int64_t> add_criterion(db::Transaction& tx, std::int64_t call_id, const Criterion& c,
                                   const audit::Actor& actor, Instant now) {
  auto call = find_call(tx, call_id);
  if (!call) return fail(call.error());
  if (!*call) return fail(Error::not_found("公募が見つかりません"));
  if ((*call)->frozen(now)) return fail(Error::conflict("受付開始後は審査基準を変更できません"));
  if (text::trim(c.name).empty()) return fail(Error::invalid("審査項目名を入力してください"));
  if (auto p = detail::text_limit_problem("審査項目名", c.name, 100); !p.empty()) return fail(Error::invalid(p));
  if (c.weight < 1 || c.weight > 100) return fail(Error::invalid("配点の重みは 1〜100 の整数にしてください"));
  if (c.levels() < 2 || c.levels() > 10) return fail(Error::invalid("評価段階は 2〜10 段階にしてください"));
  for (int level = 1; level <= c.levels(); ++level) {
    if (text::trim(c.descriptors[std::size_t(level - 1)]).empty())
      return fail(Error::invalid(fmt::format("評価段階 {} の説明を入力してください", level)));
  }
  auto position = tx.scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM call_criteria WHERE call_id = ?", {call_id});
  if (!position) return fail(position.error());
  auto id = tx.insert(
      "INSERT INTO call_criteria (call_id, position, name, description, weight, levels) VALUES (?, ?, ?, ?, ?, ?)",
      {call_id, *position, std::string(text::trim(c.name)), c.description, std::int64_t(c.weight), std::int64_t(c.levels())});
  if (!id) return fail(id.error());
  for (int level = 1; level <= c.levels(); ++level) {
    if (auto r = tx.exec("INSERT INTO call_criterion_levels (criterion_id, level, descriptor) VALUES (?, ?, ?)",
                         {*id, std::int64_t(level), std::string(text::trim(c.descriptors[std::size_t(level - 1)]))});
        !r)
      return fail(r.error());
  }
  if (auto a = audit::record(tx, audit::entry_by(actor, "call.criterion_add", fmt::format("call:{}", call_id),
                                                 fmt::format(R"({{"criterion":{}}})", *id)),
                             now);
      !a)
    return fail(a.error());
  return *id;
}

Result<void> delete_criterion(db::Transaction& tx, std::int64_t call_id, std::int64_t criterion_id,
                              const audit::Actor& actor, Instant now) {
  auto call = find_call(tx, call_id);
  if (!call) return fail(call.error());
  if (!*call) return fail(Error::not_found("公募が見つかりません"));
  if ((*call)->frozen(now)) return fail(Error::conflict("受付開始後は審査基準を変更できません"));
  if (auto r = tx.exec("DELETE FROM call_criteria WHERE id = ? AND call_id = ?", {criterion_id, call_id}); !r) return r;
  if (tx.changes() == 0) return fail(Error::not_found("審査項目が見つかりません"));
  if (auto a = audit::record(tx, audit::entry_by(actor, "call.criterion_delete", fmt::format("call:{}", call_id),
                                                 fmt::format(R"({{"criterion":{}}})", criterion_id)),
                             now);
      !a)
    return fail(a.error());
  return {};
}

Result<std::int64_t> add_document(db::Transaction& tx, std::int64_t call_id, const std::string& title,
                                  const std::string& file_name, const std::string& content_type,
                                  const std::string& sha256, const std::string& bytes, const audit::Actor& actor,
                                  Instant now) {
  if (text::trim(title).empty()) return fail(Error::invalid("資料名を入力してください"));
  if (auto p = detail::text_limit_problem("資料名", title, 100); !p.empty()) return fail(Error::invalid(p));
  auto version = tx.scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM call_documents WHERE call_id = ? AND title = ?",
                           {call_id, std::string(text::trim(title))});
  if (!version) return fail(version.error());
  auto id = tx.insert(
      "INSERT INTO call_documents (call_id, title, version, file_name, content_type, size, sha256, content, "
      "uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {call_id, std::string(text::trim(title)), *version, file_name, content_type, std::int64_t(bytes.size()), sha256,
       db::Blob{bytes}, iso_utc(now), db::nullable(actor.user_id)});
  if (!id) return fail(id.error());
  if (auto a = audit::record(tx, audit::entry_by(actor, "call.document_add", fmt::format("call:{}", call_id),
                                                 fmt::format(R"({{"document":{},"version":{},"sha256":"{}"}})", *id,
                                                             *version, sha256)),
                             now);
      !a)
    return fail(a.error());
  return *id;
}

Result<std::vector<Document>> documents(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT id, title, version, file_name, content_type, size, sha256, uploaded_at FROM call_documents "
      "WHERE call_id = ? ORDER BY title, version DESC",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<Document> out;
  for (const auto& row : *rows) {
    out.push_back({row.integer(0), row.text(1), int(row.integer(2)), row.text(3), row.text(4), row.integer(5),
                   row.text(6), row.text(7)});
  }
  return out;
}

Result<std::optional<StoredFile>> document_file(db::Transaction& tx, std::int64_t call_id, std::int64_t document_id) {
  auto row = tx.query_one("SELECT file_name, content_type, content FROM call_documents WHERE id = ? AND call_id = ?",
                          {document_id, call_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<StoredFile>{};
  return std::optional<StoredFile>{StoredFile{(*row)->text(0), (*row)->text(1), (*row)->text(2)}};
}

std::optional<std::string_view> publicity_channel_label(std::string_view id) {
  for (const auto& channel : kPublicityChannels) {
    if (channel.id == id) return channel.label;
  }
  return std::nullopt;
}

Result<std::vector<Publicity>> publicity(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT id, published_on, channel, description, url, reach FROM call_publicity WHERE call_id = ? "
      "ORDER BY published_on, id",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<Publicity> out;
  for (const auto& row : *rows)
    out.push_back({row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4), row.optional_integer(5)});
  return out;
}

Result<std::int64_t> add_publicity(db::Transaction& tx, std::int64_t call_id, const Publicity& e, const audit::Actor& actor,
                                   Instant now) {
  if (text::trim(e.published_on).empty()) return fail(Error::invalid("周知した日を入力してください"));
  auto date = Date::parse(e.published_on);
  if (!date) return fail(date.error());
  if (!publicity_channel_label(e.channel)) return fail(Error::invalid("周知の方法を一覧から選んでください"));
  if (text::trim(e.description).empty()) return fail(Error::invalid("周知の内容を入力してください"));
  if (auto p = detail::text_limit_problem("周知の内容", e.description, 500); !p.empty()) return fail(Error::invalid(p));
  std::string url(text::trim(e.url));
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://"))
    return fail(Error::invalid("URL は http:// または https:// で始めてください"));
  if (url.size() > 2000) return fail(Error::invalid("URL は 2000 文字以内で入力してください"));
  if (e.reach && *e.reach < 0) return fail(Error::invalid("周知した人数は 0 以上にしてください"));
  auto call = find_call(tx, call_id);
  if (!call) return fail(call.error());
  if (!*call) return fail(Error::not_found("公募が見つかりません"));
  auto id = tx.insert(
      "INSERT INTO call_publicity (call_id, published_on, channel, description, url, reach, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {call_id, date->iso(), e.channel, std::string(text::trim(e.description)), url, db::nullable(e.reach), iso_utc(now),
       db::nullable(actor.user_id)});
  if (!id) return fail(id.error());
  if (auto a = audit::record(tx, audit::entry_by(actor, "call.publicity_add", fmt::format("call:{}", call_id),
                                                 fmt::format(R"({{"entry":{}}})", *id)),
                             now);
      !a)
    return fail(a.error());
  return *id;
}

Result<void> delete_publicity(db::Transaction& tx, std::int64_t call_id, std::int64_t entry_id, const audit::Actor& actor,
                              Instant now) {
  if (auto r = tx.exec("DELETE FROM call_publicity WHERE id = ? AND call_id = ?", {entry_id, call_id}); !r) return r;
  if (tx.changes() == 0) return fail(Error::not_found("周知の記録が見つかりません"));
  if (auto a = audit::record(tx, audit::entry_by(actor, "call.publicity_delete", fmt::format("call:{}", call_id),
                                                 fmt::format(R"({{"entry":{}}})", entry_id)),
                             now);
      !a)
    return fail(a.error());
  return {};
}

}  // namespace kakehashi::call

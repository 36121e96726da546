// The call store: calls, criteria, guideline documents, publicity, and the decision state.
#include <fmt/format.h>

#include "base/date.h"
#include "call/store.h"
#include "call/store_internal.h"

namespace kakehashi::call::store {

namespace detail {

std::string_view peer_id(PeerReviews peer) { return peer == PeerReviews::kAfterOwn ? "after_own" : "never"; }

DecisionState decision_from(std::string_view text) {
  if (text == "recorded") return DecisionState::kRecorded;
  if (text == "approved") return DecisionState::kApproved;
  if (text == "published") return DecisionState::kPublished;
  return DecisionState::kNone;
}

}  // namespace detail

namespace {

constexpr std::string_view kCallColumns =
    "id, title, summary, opens_at, closes_at, award_min, award_max, budget_total, min_total, "
    "reviewers_per_application, max_load, peer_reviews, hide_personal, published, decision_state, approved_at, "
    "results_published_at, decision_recorded_by, decision_recorded_at, approved_by, review_deadline, "
    "review_reminded_at, decision_returned_at, decision_returned_by, decision_return_comment, balance_loads";

// The call of a row (its blocks are added by the caller).
Result<Call> call_from(const db::Row& row) {
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
  call.decision_recorded_by = row.optional_integer(17);
  call.decision_recorded_at = row.optional_text(18);
  call.approved_by = row.optional_integer(19);
  if (auto deadline = row.optional_text(20)) {
    auto parsed = parse_iso_utc(*deadline);
    if (!parsed) return fail(Error::internal("公募の審査期限が壊れています"));
    call.review_deadline = *parsed;
  }
  call.review_reminded_at = row.optional_text(21);
  call.returned_at = row.optional_text(22);
  call.returned_by = row.optional_integer(23);
  call.return_comment = row.optional_text(24);
  call.balance_loads = row.integer(25) != 0;
  if (call.decision == DecisionState::kNone && call.returned_at) call.decision = DecisionState::kReturned;
  return call;
}

// The blocks of every call (or of one), in the official order.
Result<std::map<std::int64_t, std::vector<std::string>>> blocks_of(db::Transaction& tx,
                                                                   std::optional<std::int64_t> call_id) {
  auto rows = call_id ? tx.query("SELECT call_id, block_id FROM call_blocks WHERE call_id = ?", {*call_id})
                      : tx.query("SELECT call_id, block_id FROM call_blocks");
  if (!rows) return fail(rows.error());
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& row : *rows) out[row.integer(0)].push_back(row.text(1));
  for (auto& [id, blocks] : out) blocks = detail::in_block_order(std::move(blocks), [](const std::string& b) { return b; });
  return out;
}

Result<void> write_blocks(db::Transaction& tx, std::int64_t call_id, const std::vector<std::string>& blocks) {
  if (auto r = tx.exec("DELETE FROM call_blocks WHERE call_id = ?", {call_id}); !r) return r;
  for (const auto& block : blocks) {
    if (auto r = tx.exec("INSERT INTO call_blocks (call_id, block_id) VALUES (?, ?) ON CONFLICT DO NOTHING", {call_id, block}); !r)
      return r;
  }
  return {};
}

db::Value optional_real(const std::optional<double>& value) {
  if (!value) return db::null();
  return *value;
}

db::Value optional_instant(const std::optional<Instant>& value) {
  if (!value) return db::null();
  return iso_utc(*value);
}

}  // namespace

Result<std::int64_t> insert_call(db::Transaction& tx, const CallSettings& s, std::optional<std::int64_t> created_by,
                                 Instant now) {
  auto id = tx.insert(
      "INSERT INTO calls (title, summary, opens_at, closes_at, award_min, award_max, budget_total, min_total, "
      "reviewers_per_application, max_load, peer_reviews, hide_personal, created_at, created_by, review_deadline, "
      "balance_loads) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {s.title, s.summary, iso_utc(s.opens_at), iso_utc(s.closes_at), s.award_min, s.award_max, s.budget_total,
       optional_real(s.min_total), std::int64_t(s.reviewers_per_application), std::int64_t(s.max_load),
       std::string(detail::peer_id(s.peer_reviews)), std::int64_t(s.hide_personal), iso_utc(now),
       db::nullable(created_by), optional_instant(s.review_deadline), std::int64_t(s.balance_loads)});
  if (!id) return fail(id.error());
  if (auto r = write_blocks(tx, *id, s.blocks); !r) return fail(r.error());
  return *id;
}

Result<void> update_call(db::Transaction& tx, std::int64_t call_id, const CallSettings& s) {
  auto r = tx.exec(
      "UPDATE calls SET title = ?, summary = ?, opens_at = ?, closes_at = ?, award_min = ?, award_max = ?, "
      "budget_total = ?, min_total = ?, reviewers_per_application = ?, max_load = ?, peer_reviews = ?, "
      "hide_personal = ?, review_deadline = ?, balance_loads = ?, "
      "review_reminded_at = CASE WHEN review_deadline IS NOT DISTINCT FROM ? THEN review_reminded_at ELSE NULL END WHERE id = ?",
      {s.title, s.summary, iso_utc(s.opens_at), iso_utc(s.closes_at), s.award_min, s.award_max, s.budget_total,
       optional_real(s.min_total), std::int64_t(s.reviewers_per_application), std::int64_t(s.max_load),
       std::string(detail::peer_id(s.peer_reviews)), std::int64_t(s.hide_personal), optional_instant(s.review_deadline),
       std::int64_t(s.balance_loads), optional_instant(s.review_deadline), call_id});
  if (!r) return r;
  return write_blocks(tx, call_id, s.blocks);
}

Result<std::optional<Call>> find_call(db::Transaction& tx, std::int64_t call_id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM calls WHERE id = ?", kCallColumns), {call_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Call>{};
  auto call = call_from(**row);
  if (!call) return fail(call.error());
  auto blocks = blocks_of(tx, call_id);
  if (!blocks) return fail(blocks.error());
  call->blocks = std::move((*blocks)[call_id]);
  return std::optional<Call>{std::move(*call)};
}

Result<std::vector<Call>> list_calls(db::Transaction& tx, bool published_only) {
  auto rows = tx.query(fmt::format("SELECT {} FROM calls {} ORDER BY opens_at DESC, id DESC", kCallColumns,
                                   published_only ? "WHERE published = 1" : ""));
  if (!rows) return fail(rows.error());
  auto blocks = blocks_of(tx, std::nullopt);
  if (!blocks) return fail(blocks.error());
  std::vector<Call> calls;
  for (const auto& row : *rows) {
    auto call = call_from(row);
    if (!call) return fail(call.error());
    call->blocks = std::move((*blocks)[call->id]);
    calls.push_back(std::move(*call));
  }
  return calls;
}

Result<void> mark_published(db::Transaction& tx, std::int64_t call_id) {
  return tx.exec("UPDATE calls SET published = 1 WHERE id = ?", {call_id});
}

Result<std::vector<Criterion>> criteria(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT id, name, description, weight, levels FROM call_criteria WHERE call_id = ? ORDER BY position, id",
      {call_id});
  if (!rows) return fail(rows.error());
  auto levels = tx.query(
      "SELECT l.criterion_id, l.level, l.descriptor FROM call_criterion_levels l "
      "JOIN call_criteria c ON c.id = l.criterion_id WHERE c.call_id = ?",
      {call_id});
  if (!levels) return fail(levels.error());
  std::vector<Criterion> out;
  for (const auto& row : *rows) {
    Criterion c;
    c.id = row.integer(0);
    c.name = row.text(1);
    c.description = row.text(2);
    c.weight = int(row.integer(3));
    c.descriptors.assign(std::size_t(row.integer(4)), "");
    for (const auto& level : *levels) {
      if (level.integer(0) != c.id) continue;
      auto at = level.integer(1);
      if (at >= 1 && at <= c.levels()) c.descriptors[std::size_t(at - 1)] = level.text(2);
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::int64_t> insert_criterion(db::Transaction& tx, std::int64_t call_id, const Criterion& c) {
  auto position = tx.scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM call_criteria WHERE call_id = ?", {call_id});
  if (!position) return fail(position.error());
  auto id = tx.insert(
      "INSERT INTO call_criteria (call_id, position, name, description, weight, levels) VALUES (?, ?, ?, ?, ?, ?)",
      {call_id, *position, c.name, c.description, std::int64_t(c.weight), std::int64_t(c.levels())});
  if (!id) return fail(id.error());
  for (int level = 1; level <= c.levels(); ++level) {
    if (auto r = tx.exec("INSERT INTO call_criterion_levels (criterion_id, level, descriptor) VALUES (?, ?, ?)",
                         {*id, std::int64_t(level), c.descriptors[std::size_t(level - 1)]});
        !r)
      return fail(r.error());
  }
  return *id;
}

Result<bool> delete_criterion(db::Transaction& tx, std::int64_t call_id, std::int64_t criterion_id) {
  if (auto r = tx.exec("DELETE FROM call_criteria WHERE id = ? AND call_id = ?", {criterion_id, call_id}); !r)
    return fail(r.error());
  return tx.changes() > 0;
}

Result<StoredDocument> insert_document(db::Transaction& tx, std::int64_t call_id, const std::string& title,
                                       const std::string& file_name, const std::string& content_type,
                                       const std::string& sha256, const std::string& bytes,
                                       std::optional<std::int64_t> uploaded_by, Instant now) {
  auto version = tx.scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM call_documents WHERE call_id = ? AND title = ?",
                           {call_id, title});
  if (!version) return fail(version.error());
  auto id = tx.insert(
      "INSERT INTO call_documents (call_id, title, version, file_name, content_type, size, sha256, content, "
      "uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {call_id, title, *version, file_name, content_type, std::int64_t(bytes.size()), sha256, db::Blob{bytes},
       iso_utc(now), db::nullable(uploaded_by)});
  if (!id) return fail(id.error());
  return StoredDocument{*id, int(*version)};
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

Result<std::int64_t> insert_publicity(db::Transaction& tx, std::int64_t call_id, const Publicity& e,
                                      std::optional<std::int64_t> created_by, Instant now) {
  return tx.insert(
      "INSERT INTO call_publicity (call_id, published_on, channel, description, url, reach, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {call_id, e.published_on, e.channel, e.description, e.url, db::nullable(e.reach), iso_utc(now),
       db::nullable(created_by)});
}

Result<bool> delete_publicity(db::Transaction& tx, std::int64_t call_id, std::int64_t entry_id) {
  if (auto r = tx.exec("DELETE FROM call_publicity WHERE id = ? AND call_id = ?", {entry_id, call_id}); !r)
    return fail(r.error());
  return tx.changes() > 0;
}

Result<std::vector<DecisionLine>> decision(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT block_id, application_id, amount, proposed_application_id, rationale FROM call_decisions WHERE call_id = ?",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<DecisionLine> lines;
  for (const auto& row : *rows)
    lines.push_back({row.text(0), row.optional_integer(1).value_or(0), row.integer(2), row.optional_integer(3), row.text(4)});
  return detail::in_block_order(std::move(lines), [](const DecisionLine& line) { return line.block; });
}

Result<void> replace_decision(db::Transaction& tx, std::int64_t call_id, const std::vector<DecisionLine>& lines) {
  if (auto r = tx.exec("DELETE FROM call_decisions WHERE call_id = ?", {call_id}); !r) return r;
  for (const auto& line : lines) {
    if (auto r = tx.exec(
            "INSERT INTO call_decisions (call_id, block_id, application_id, amount, proposed_application_id, rationale) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            {call_id, line.block, line.application_id ? db::Value{line.application_id} : db::null(), line.amount,
             db::nullable(line.proposed_application_id), line.rationale});
        !r)
      return r;
  }
  return {};
}

Result<void> mark_decision_recorded(db::Transaction& tx, std::int64_t call_id, std::optional<std::int64_t> recorded_by,
                                    Instant now) {
  return tx.exec(
      "UPDATE calls SET decision_state = 'recorded', decision_recorded_at = ?, decision_recorded_by = ?, "
      "approved_at = NULL, approved_by = NULL, decision_returned_at = NULL, decision_returned_by = NULL, "
      "decision_return_comment = NULL WHERE id = ?",
      {iso_utc(now), db::nullable(recorded_by), call_id});
}

Result<void> mark_decision_approved(db::Transaction& tx, std::int64_t call_id, std::optional<std::int64_t> approved_by,
                                    Instant now) {
  return tx.exec("UPDATE calls SET decision_state = 'approved', approved_at = ?, approved_by = ? WHERE id = ?",
                 {iso_utc(now), db::nullable(approved_by), call_id});
}

Result<void> mark_decision_returned(db::Transaction& tx, std::int64_t call_id, std::optional<std::int64_t> returned_by,
                                    const std::string& comment, Instant now) {
  return tx.exec(
      "UPDATE calls SET decision_state = 'none', decision_returned_at = ?, decision_returned_by = ?, "
      "decision_return_comment = ? WHERE id = ?",
      {iso_utc(now), db::nullable(returned_by), comment, call_id});
}

Result<void> mark_review_reminded(db::Transaction& tx, std::int64_t call_id, Instant now) {
  return tx.exec("UPDATE calls SET review_reminded_at = ? WHERE id = ? AND review_reminded_at IS NULL", {iso_utc(now), call_id});
}

Result<void> mark_results_published(db::Transaction& tx, std::int64_t call_id, Instant now) {
  return tx.exec("UPDATE calls SET decision_state = 'published', results_published_at = ? WHERE id = ?",
                 {iso_utc(now), call_id});
}

}  // namespace kakehashi::call::store

// /api/v1/milestones: the milestones of the programme year in the reader's reach, with their red
// flags (issue 15), as documented in openapi_milestones.json.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "web/handlers/call/common.h"
#include "web/handlers/operations/milestone_helpers.h"

namespace kakehashi::web {
namespace {

constexpr int kMaxPerPage = 200;
constexpr int kDefaultPerPage = 50;

Response bad_request(const std::string& message) {
  return Response::json(api_error_body("invalid", message), http::status::bad_request);
}

std::optional<int> positive(const std::string& text, int fallback) {
  if (text.empty()) return fallback;
  auto id = callweb::parse_id(text);
  if (!id || *id > 1'000'000) return std::nullopt;
  return int(*id);
}

boost::json::object item(const operations::MilestoneRow& row, const std::string& operator_name,
                         const std::vector<operations::Flag>& flags, Date today) {
  const auto& m = row.milestone;
  boost::json::array flag_items;
  for (const auto& f : flags) {
    if (f.milestone_id != m.id) continue;
    flag_items.push_back(boost::json::object{{"kind", std::string(operations::to_string(f.kind))},
                                             {"label", std::string(operations::flag_kind_label(f.kind))},
                                             {"reason", f.reason}});
  }
  boost::json::object o{{"id", m.id},
                        {"operator_id", m.operator_id},
                        {"operator_name", operator_name},
                        {"title", m.title},
                        {"description", m.description},
                        {"due_on", m.due_on.iso()},
                        {"owner", row.owner_label},
                        {"status", std::string(operations::to_string(m.status))},
                        {"status_label", std::string(operations::milestone_status_label(m.status))},
                        {"completed_on", nullptr},
                        {"overdue", opsweb::milestone_row(row, today).overdue},
                        {"review", std::string(operations::to_string(m.review))},
                        {"review_label", std::string(operations::review_state_label(m.review))},
                        {"review_comment", m.review_comment},
                        {"evidence_count", row.evidence_count},
                        {"updated_at", m.updated_at},
                        {"flags", flag_items}};
  if (m.completed_on) o["completed_on"] = m.completed_on->iso();
  return o;
}

struct Loaded {
  std::vector<operations::MilestoneRow> rows;
  std::map<std::int64_t, std::string> names;
  std::map<std::int64_t, std::vector<operations::Flag>> flags;
};

Result<Loaded> load(db::Transaction& tx, const auth::Principal& who, std::optional<std::int64_t> operator_id, Date today) {
  Loaded out;
  auto call_id = operations::current_programme(tx);
  if (!call_id) return fail(call_id.error());
  if (!*call_id) return out;
  auto ops = operations::list_operators(tx, who, **call_id);
  if (!ops) return fail(ops.error());
  for (const auto& op : *ops) out.names[op.id] = op.name;
  auto flags = operations::flags_of(tx, *ops, today);
  if (!flags) return fail(flags.error());
  out.flags = std::move(*flags);
  auto rows = operations::visible_milestones(tx, who, **call_id, operator_id);
  if (!rows) return fail(rows.error());
  out.rows = std::move(*rows);
  return out;
}

Response list(Application& app, Request& request) {
  const Date today = tokyo_date(app.clock().now());
  auto page = positive(request.query_param("page"), 1);
  auto per_page = positive(request.query_param("per_page"), kDefaultPerPage);
  if (!page || !per_page || *per_page > kMaxPerPage)
    return bad_request(fmt::format("page は 1 以上、per_page は 1〜{} の整数で指定してください", kMaxPerPage));
  std::optional<std::int64_t> operator_id;
  if (std::string text = request.query_param("operator"); !text.empty()) {
    operator_id = callweb::parse_id(text);
    if (!operator_id) return bad_request("operator は実証事業者の ID（正の整数）で指定してください");
  }
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, *request.principal, operator_id, today);
  if (!loaded) return app.error_response(request, loaded.error());
  boost::json::array items;
  std::size_t from = std::size_t(*page - 1) * std::size_t(*per_page);
  for (std::size_t i = from; i < loaded->rows.size() && i < from + std::size_t(*per_page); ++i) {
    const auto& row = loaded->rows[i];
    items.push_back(item(row, loaded->names[row.milestone.operator_id], loaded->flags[row.milestone.operator_id], today));
  }
  return Response::json(boost::json::serialize(boost::json::object{
      {"items", items}, {"page", *page}, {"per_page", *per_page}, {"total", std::int64_t(loaded->rows.size())}}));
}

Response one(Application& app, Request& request) {
  const Date today = tokyo_date(app.clock().now());
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto m = operations::find_milestone(**tx, *request.principal, *id);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  auto loaded = load(**tx, *request.principal, (*m)->operator_id, today);
  if (!loaded) return app.error_response(request, loaded.error());
  for (const auto& row : loaded->rows) {
    if (row.milestone.id != *id) continue;
    boost::json::object o = item(row, loaded->names[row.milestone.operator_id], loaded->flags[row.milestone.operator_id], today);
    auto evidence = operations::evidence_of(**tx, *id);
    if (!evidence) return app.error_response(request, evidence.error());
    boost::json::array list;
    for (const auto& e : *evidence) {
      boost::json::object v{{"id", e.id}, {"title", e.title}, {"added_at", e.added_at}};
      switch (e.kind) {
        case operations::EvidenceKind::kFile:
          v["kind"] = "file";
          v["file_name"] = e.file_name.value_or("");
          v["size"] = e.size.value_or(0);
          v["sha256"] = e.sha256.value_or("");
          v["download"] = fmt::format("/operations/milestones/{}/evidence/{}", *id, e.id);
          break;
        case operations::EvidenceKind::kLink:
          v["kind"] = "link";
          v["url"] = e.url;
          break;
        case operations::EvidenceKind::kNote:
          v["kind"] = "note";
          v["note"] = e.note;
          break;
      }
      list.push_back(std::move(v));
    }
    o["evidence"] = std::move(list);
    return Response::json(boost::json::serialize(o));
  }
  return app.error(request, http::status::not_found);
}

}  // namespace

void register_operations_milestone_api(Application& app) {
  app.get("/api/v1/milestones", {.required = auth::Action::kViewOperations}, list);
  app.get("/api/v1/milestones/{id}", {.required = auth::Action::kViewOperations}, one);
}

}  // namespace kakehashi::web

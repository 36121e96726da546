#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "base/text.h"
#include "geo/geo.h"
#include "operations/projects.h"
#include "operations/service.h"
#include "operations/store_projects.h"

namespace kakehashi::operations {
namespace {

constexpr std::size_t kTitleLimit = 200;
constexpr std::size_t kTextLimit = 4000;
constexpr std::size_t kNameLimit = 200;
constexpr std::size_t kMaxParties = 50;
constexpr std::size_t kMaxSessions = 500;
constexpr int kMaxParticipants = 100000;

bool blank(const PartyDraft& p) { return p.name.empty() && p.school_type.empty() && p.prefecture_code.empty(); }
bool blank(const SessionDraft& s) {
  return s.id == 0 && s.held_on.empty() && s.place.empty() && s.pupils.empty() && s.teachers.empty() &&
         s.company_staff.empty() && s.others.empty() && s.note.empty();
}

// A participant count typed in the form ("" is 0; full-width digits accepted).
std::optional<int> count_of(std::string_view typed) {
  std::string t = text::nfkc(text::trim(typed));
  std::erase(t, ',');
  if (t.empty()) return 0;
  int value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc{} || end != t.data() + t.size() || value < 0 || value > kMaxParticipants) return std::nullopt;
  return value;
}

// The project the draft describes (valid drafts only).
Project project_of(const ProjectDraft& d, const Operator& op) {
  Project p;
  p.operator_id = op.id;
  p.block_id = d.block_id;
  p.title = std::string(text::trim(d.title));
  p.category = category_from(d.category).value_or(Category::kHito);
  p.subtype = d.subtype;
  p.continuity = continuity_from(d.continuity).value_or(Continuity::kOneOff);
  p.description = std::string(text::trim(d.description));
  for (const PartyDraft& pd : d.parties) {
    if (blank(pd)) continue;
    Party party;
    party.kind = party_kind_from(pd.kind).value_or(PartyKind::kCompany);
    party.name = std::string(text::trim(pd.name));
    if (party.kind == PartyKind::kSchool && !pd.school_type.empty()) party.school_type = pd.school_type;
    if (!pd.prefecture_code.empty()) party.prefecture_code = pd.prefecture_code;
    p.parties.push_back(std::move(party));
  }
  for (const SessionDraft& sd : d.sessions) {
    if (blank(sd)) continue;
    Session s;
    s.id = sd.id;
    s.held_on = *Date::parse(text::trim(sd.held_on));
    s.place = std::string(text::trim(sd.place));
    s.pupils = *count_of(sd.pupils);
    s.teachers = *count_of(sd.teachers);
    s.company_staff = *count_of(sd.company_staff);
    s.others = *count_of(sd.others);
    s.note = std::string(text::trim(sd.note));
    p.sessions.push_back(std::move(s));
  }
  return p;
}

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::int64_t project_id,
                     Instant now, const boost::json::object& detail) {
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), std::move(action),
                                              fmt::format("project:{}", project_id), boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

store::ProjectScope scope_of(const Reach& r) { return {r.all, r.organisation_id, r.blocks}; }

// The project and its operator when `who` may change it; errors otherwise (404 out of reach).
Result<std::pair<Project, Operator>> editable(db::Transaction& tx, const auth::Principal& who, std::int64_t project_id) {
  auto project = find_project(tx, who, project_id);
  if (!project) return fail(project.error());
  if (!*project) return fail(Error::not_found("プロジェクトが見つかりません"));
  auto op = find_operator(tx, (*project)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto allowed = may_edit_projects(tx, who, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("この実証事業者のプロジェクトを変更する権限がありません"));
  return std::pair{std::move(**project), std::move(**op)};
}

}  // namespace

std::string school_type_label(std::string_view id) {
  const SchoolType* t = find_school_type(id);
  return t ? std::string(t->label) : std::string(id);
}

std::string subtype_label(std::string_view id) {
  const Subtype* s = find_subtype(id);
  if (!s) return std::string(id);
  return fmt::format("{}：{}", category_label(s->category), s->label);
}

ProjectDraft draft_of(const Project& p) {
  ProjectDraft d{p.block_id,    p.title, std::string(to_string(p.category)), p.subtype, std::string(to_string(p.continuity)),
                 p.description, {},      {}};
  for (const Party& party : p.parties)
    d.parties.push_back({std::string(to_string(party.kind)), party.name, party.school_type.value_or(""),
                         party.prefecture_code.value_or("")});
  for (const Session& s : p.sessions)
    d.sessions.push_back({s.id, s.held_on.iso(), s.place, std::to_string(s.pupils), std::to_string(s.teachers),
                          std::to_string(s.company_staff), std::to_string(s.others), s.note});
  return d;
}

std::vector<FieldError> validate(const ProjectDraft& d, const Operator& op) {
  std::vector<FieldError> errors;
  if (std::ranges::none_of(op.blocks, [&](const OperatorBlock& b) { return b.block_id == d.block_id; }))
    errors.push_back({"block_id", "ブロックはこの実証事業者の担当ブロックから選んでください"});
  std::string_view title = text::trim(d.title);
  if (title.empty()) errors.push_back({"title", "プロジェクト名を入力してください"});
  else if (title.size() > kTitleLimit)
    errors.push_back({"title", fmt::format("プロジェクト名は {} バイト以内で入力してください", kTitleLimit)});
  auto category = category_from(d.category);
  if (!category) errors.push_back({"category", "区分（ヒト・モノ・カネ）を選んでください"});
  if (d.subtype.empty()) {
    errors.push_back({"subtype", "類型を選んでください"});
  } else if (const Subtype* s = find_subtype(d.subtype); !s) {
    errors.push_back({"subtype", "類型を一覧から選んでください"});
  } else if (category && s->category != *category) {
    errors.push_back({"subtype", fmt::format("類型「{}」は区分「{}」のものではありません", s->label, category_label(*category))});
  }
  if (!continuity_from(d.continuity)) errors.push_back({"continuity", "実施形態（単発・継続・広域）を選んでください"});
  if (d.description.size() > kTextLimit)
    errors.push_back({"description", fmt::format("概要は {} バイト以内で入力してください", kTextLimit)});
  std::size_t n = 0, parties = 0;
  for (const PartyDraft& p : d.parties) {
    ++n;
    if (blank(p)) continue;
    ++parties;
    auto kind = party_kind_from(p.kind);
    if (!kind) errors.push_back({"parties", fmt::format("関係先 {} 行目: 種別を選んでください", n)});
    std::string_view name = text::trim(p.name);
    if (name.empty()) errors.push_back({"parties", fmt::format("関係先 {} 行目: 名称を入力してください", n)});
    else if (name.size() > kNameLimit)
      errors.push_back({"parties", fmt::format("関係先 {} 行目: 名称は {} バイト以内で入力してください", n, kNameLimit)});
    if (kind == PartyKind::kSchool) {
      if (!find_school_type(p.school_type))
        errors.push_back({"parties", fmt::format("関係先 {} 行目: 学校種を選んでください", n)});
      if (!geo::find_prefecture_by_code(p.prefecture_code))
        errors.push_back({"parties", fmt::format("関係先 {} 行目: 学校の都道府県を選んでください", n)});
    } else if (kind) {
      if (!p.school_type.empty())
        errors.push_back({"parties", fmt::format("関係先 {} 行目: 学校種は学校にだけ指定できます", n)});
      if (!p.prefecture_code.empty() && !geo::find_prefecture_by_code(p.prefecture_code))
        errors.push_back({"parties", fmt::format("関係先 {} 行目: 都道府県を一覧から選んでください", n)});
    }
  }
  if (parties > kMaxParties) errors.push_back({"parties", fmt::format("関係先は {} 件までです", kMaxParties)});
  n = 0;
  std::size_t sessions = 0;
  for (const SessionDraft& s : d.sessions) {
    ++n;
    if (blank(s)) continue;
    ++sessions;
    if (!Date::parse(text::trim(s.held_on)))
      errors.push_back({"sessions", fmt::format("実施回 {} 行目: 実施日を YYYY-MM-DD で入力してください", n)});
    if (s.place.size() > kNameLimit)
      errors.push_back({"sessions", fmt::format("実施回 {} 行目: 場所は {} バイト以内で入力してください", n, kNameLimit)});
    if (s.note.size() > kTextLimit)
      errors.push_back({"sessions", fmt::format("実施回 {} 行目: 備考は {} バイト以内で入力してください", n, kTextLimit)});
    for (auto [typed, label] : {std::pair{&s.pupils, "児童生徒"}, std::pair{&s.teachers, "教職員"},
                                std::pair{&s.company_staff, "企業等"}, std::pair{&s.others, "その他"}}) {
      if (!count_of(*typed))
        errors.push_back({"sessions", fmt::format("実施回 {} 行目: {}の参加者数は 0〜{} の整数で入力してください", n, label,
                                                  kMaxParticipants)});
    }
  }
  if (sessions > kMaxSessions) errors.push_back({"sessions", fmt::format("実施回は {} 件までです", kMaxSessions)});
  return errors;
}

Result<bool> may_edit_projects(db::Transaction& tx, const auth::Principal& who, const Operator& op) {
  return may(tx, who, auth::Action::kEditOperatorPlan, op);
}

Result<ProjectPage> list_projects(db::Transaction& tx, const auth::Principal& who, const ProjectFilter& filter, int page,
                                  int per_page) {
  auto r = reach(tx, who, auth::Action::kViewOperations);
  if (!r) return fail(r.error());
  store::ProjectQuery q;
  q.scope = scope_of(*r);
  q.operator_id = filter.operator_id;
  q.category = filter.category;
  q.block_id = filter.block_id;
  q.school_type = filter.school_type;
  q.limit = std::clamp(per_page, 1, 200);
  q.offset = (std::max(page, 1) - 1) * q.limit;
  ProjectPage out;
  auto total = store::count_projects(tx, q);
  if (!total) return fail(total.error());
  out.total = *total;
  auto items = store::list_projects(tx, q);
  if (!items) return fail(items.error());
  out.items = std::move(*items);
  return out;
}

Result<std::vector<Session>> sessions_of_projects(db::Transaction& tx, const auth::Principal& who,
                                                  const std::vector<std::int64_t>& ids) {
  std::vector<Session> out;
  for (std::int64_t id : ids) {
    auto p = find_project(tx, who, id);
    if (!p) return fail(p.error());
    if (!*p) continue;
    for (Session& s : (*p)->sessions) out.push_back(std::move(s));
  }
  return out;
}

Result<ProjectCounts> project_counts(db::Transaction& tx, const auth::Principal& who, const Operator& op) {
  auto r = reach(tx, who, auth::Action::kViewOperations);
  if (!r) return fail(r.error());
  if (!covers(*r, op)) return ProjectCounts{};
  auto c = store::project_counts(tx, op.id);
  if (!c) return fail(c.error());
  return ProjectCounts{c->projects, c->sessions, c->participants, c->hito, c->mono, c->kane};
}

Result<std::optional<Project>> find_project(db::Transaction& tx, const auth::Principal& who, std::int64_t project_id) {
  auto project = store::find_project(tx, project_id);
  if (!project || !*project) return project;
  auto op = find_operator(tx, (*project)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<Project>{};
  auto r = reach(tx, who, auth::Action::kViewOperations);
  if (!r) return fail(r.error());
  if (!covers_block(*r, **op, (*project)->block_id)) return std::optional<Project>{};
  return project;
}

Result<std::int64_t> create_project(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                    const ProjectDraft& draft, Instant now) {
  auto op = find_operator(tx, who, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto allowed = may_edit_projects(tx, who, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("この実証事業者のプロジェクトを登録する権限がありません"));
  if (auto errors = validate(draft, **op); !errors.empty()) return fail(Error::invalid(join_messages(errors)));
  Project p = project_of(draft, **op);
  auto id = store::insert_project(tx, p, now);
  if (!id) return id;
  for (const Session& s : p.sessions) {
    if (auto r = store::insert_session(tx, *id, s, now); !r) return fail(r.error());
  }
  if (auto r = audited(tx, who, "operation.project_create", *id, now,
                       {{"operator", operator_id}, {"category", to_string(p.category)}, {"subtype", p.subtype},
                        {"parties", p.parties.size()}, {"sessions", p.sessions.size()}});
      !r)
    return fail(r.error());
  return id;
}

Result<void> update_project(db::Transaction& tx, const auth::Principal& who, std::int64_t project_id,
                            const ProjectDraft& draft, Instant now) {
  auto found = editable(tx, who, project_id);
  if (!found) return fail(found.error());
  auto& [old, op] = *found;
  if (auto errors = validate(draft, op); !errors.empty()) return fail(Error::invalid(join_messages(errors)));
  Project p = project_of(draft, op);
  p.id = project_id;
  if (auto r = store::update_project(tx, p, now); !r) return r;
  if (auto r = store::replace_parties(tx, project_id, p.parties); !r) return r;
  std::vector<std::int64_t> keep;
  for (const Session& s : p.sessions) {
    if (s.id == 0) continue;
    if (std::ranges::none_of(old.sessions, [&](const Session& o) { return o.id == s.id; }))
      return fail(Error::invalid("この実施回はこのプロジェクトのものではありません"));
    keep.push_back(s.id);
  }
  auto removed = store::remove_sessions_except(tx, project_id, keep);
  if (!removed) return fail(removed.error());
  std::int64_t added = 0;
  for (const Session& s : p.sessions) {
    if (s.id == 0) {
      if (auto r = store::insert_session(tx, project_id, s, now); !r) return fail(r.error());
      ++added;
    } else if (auto r = store::update_session(tx, project_id, s); !r) {
      return r;
    }
  }
  return audited(tx, who, "operation.project_update", project_id, now,
                 {{"operator", op.id}, {"category", to_string(p.category)}, {"subtype", p.subtype},
                  {"parties", p.parties.size()}, {"sessions_added", added}, {"sessions_removed", *removed}});
}

Result<void> delete_project(db::Transaction& tx, const auth::Principal& who, std::int64_t project_id, Instant now) {
  auto found = editable(tx, who, project_id);
  if (!found) return fail(found.error());
  auto& [old, op] = *found;
  if (auto r = store::delete_project(tx, project_id); !r) return r;
  return audited(tx, who, "operation.project_delete", project_id, now,
                 {{"operator", op.id}, {"sessions", old.sessions.size()}});
}

}  // namespace kakehashi::operations

#include "events/match/json.h"

#include <limits>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace kakehashi::events::match {

namespace json = boost::json;

namespace {

// Reads fields of one JSON object and reports the first problem with its path.
class Reader {
 public:
  Reader(const json::value& value, std::string path) : value_(value), path_(std::move(path)) {}

  Result<const json::object*> object() const {
    if (!value_.is_object()) return fail(error("はオブジェクトで指定してください"));
    return &value_.get_object();
  }

  Result<const json::value*> field(std::string_view name, bool required) const {
    auto obj = object();
    if (!obj) return fail(obj.error());
    const json::value* v = (*obj)->if_contains(name);
    if (!v && required) return fail(child(name).error("がありません"));
    return v;
  }

  Result<std::string> string(std::string_view name) const {
    auto v = field(name, true);
    if (!v) return fail(v.error());
    if (!(*v)->is_string()) return fail(child(name).error("は文字列で指定してください"));
    return std::string((*v)->get_string());
  }

  Result<std::optional<int64_t>> integer(std::string_view name, bool required) const {
    auto v = field(name, required);
    if (!v) return fail(v.error());
    if (!*v || (*v)->is_null()) return std::optional<int64_t>{};
    if ((*v)->is_int64()) return std::optional<int64_t>((*v)->get_int64());
    if ((*v)->is_uint64() && (*v)->get_uint64() <= uint64_t{std::numeric_limits<int64_t>::max()}) {
      return std::optional<int64_t>(static_cast<int64_t>((*v)->get_uint64()));
    }
    return fail(child(name).error("は整数で指定してください"));
  }

  Result<int> small_integer(std::string_view name) const {
    auto v = integer(name, true);
    if (!v) return fail(v.error());
    if (**v < std::numeric_limits<int>::min() || **v > std::numeric_limits<int>::max()) {
      return fail(child(name).error(fmt::format("が大きすぎます: {}", **v)));
    }
    return static_cast<int>(**v);
  }

  Result<const json::array*> array(std::string_view name, bool required) const {
    static const json::array empty;
    auto v = field(name, required);
    if (!v) return fail(v.error());
    if (!*v) return &empty;
    if (!(*v)->is_array()) return fail(child(name).error("は配列で指定してください"));
    return &(*v)->get_array();
  }

  Reader child(std::string_view name) const {
    return Reader(value_, path_.empty() ? std::string(name) : path_ + "." + std::string(name));
  }
  Reader element(const json::value& value, std::string_view name, size_t index) const {
    return Reader(value, fmt::format("{}[{}]", name, index));
  }

  Error error(std::string_view what) const {
    return Error::invalid(fmt::format("入力 JSON: {} {}", path_.empty() ? "全体" : path_, what));
  }

 private:
  const json::value& value_;
  std::string path_;
};

#define KK_TRY(var, expr)                          \
  auto var##_result = (expr);                      \
  if (!var##_result) return fail(var##_result.error()); \
  auto var = std::move(*var##_result)

Result<Slot> read_slot(const Reader& r) {
  KK_TRY(id, r.string("id"));
  KK_TRY(start, r.string("start"));
  KK_TRY(minutes, r.small_integer("minutes"));
  return Slot{id, start, minutes};
}

Result<Participant> read_participant(const Reader& r) {
  Participant p;
  KK_TRY(id, r.string("id"));
  p.id = id;
  KK_TRY(side, r.string("side"));
  auto parsed = parse_side(side);
  if (!parsed) {
    return fail(r.child("side").error(
        fmt::format("は company / school / municipality / other のいずれかです: {}", side)));
  }
  p.side = *parsed;
  KK_TRY(available, r.array("available", true));
  for (size_t i = 0; i < available->size(); ++i) {
    const json::value& v = (*available)[i];
    if (!v.is_string()) {
      return fail(
          r.child(fmt::format("available[{}]", i)).error("は時間枠 ID（文字列）で指定してください"));
    }
    p.available.emplace_back(v.get_string());
  }
  KK_TRY(max_meetings, r.integer("max_meetings", false));
  if (max_meetings) {
    if (*max_meetings < 0 || *max_meetings > kMaxSlots) {
      return fail(r.child("max_meetings")
                      .error(fmt::format("は 0〜{} で指定してください: {}", kMaxSlots, *max_meetings)));
    }
    p.max_meetings = static_cast<int>(*max_meetings);
  }
  return p;
}

Result<Request> read_request(const Reader& r) {
  Request request;
  KK_TRY(from, r.string("from"));
  KK_TRY(to, r.string("to"));
  KK_TRY(priority, r.small_integer("priority"));
  request.from = from;
  request.to = to;
  request.priority = priority;
  KK_TRY(accepted, r.field("accepted", false));
  if (accepted && !accepted->is_null()) {
    if (!accepted->is_bool()) {
      return fail(r.child("accepted").error("は true か false で指定してください"));
    }
    request.accepted = accepted->get_bool();
  }
  return request;
}

Result<LockedMeeting> read_lock(const Reader& r) {
  KK_TRY(a, r.string("a"));
  KK_TRY(b, r.string("b"));
  KK_TRY(slot, r.string("slot"));
  return LockedMeeting{a, b, slot};
}

template <typename T, typename Read>
Result<std::vector<T>> read_list(const Reader& root, std::string_view name, bool required,
                                 Read read) {
  KK_TRY(items, root.array(name, required));
  std::vector<T> out;
  out.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    Reader r = root.element((*items)[i], name, i);
    if (auto obj = r.object(); !obj) return fail(obj.error());
    KK_TRY(item, read(r));
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

Result<Problem> parse_problem(std::string_view text) {
  if (text.size() > kMaxInputBytes) {
    return fail(Error::invalid(fmt::format("入力 JSON が大きすぎます（上限 {} MB）",
                                           kMaxInputBytes / 1024 / 1024)));
  }
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) {
    return fail(Error::invalid(fmt::format("入力 JSON を解析できません: {}", ec.message())));
  }
  Reader r(root, "");
  if (auto obj = r.object(); !obj) return fail(obj.error());
  Problem problem;
  KK_TRY(slots, read_list<Slot>(r, "slots", true, read_slot));
  KK_TRY(tables, r.small_integer("tables"));
  KK_TRY(participants, read_list<Participant>(r, "participants", true, read_participant));
  KK_TRY(requests, read_list<Request>(r, "requests", false, read_request));
  KK_TRY(locked, read_list<LockedMeeting>(r, "locked", false, read_lock));
  problem.slots = std::move(slots);
  problem.tables = tables;
  problem.participants = std::move(participants);
  problem.requests = std::move(requests);
  problem.locked = std::move(locked);
  return problem;
}

#undef KK_TRY

std::string_view reason_code(Reason reason) {
  switch (reason) {
    case Reason::kNoCommonSlot: return "no_common_slot";
    case Reason::kAtMaximum: return "at_maximum";
    case Reason::kGridFull: return "grid_full";
    case Reason::kPartnerBusy: return "partner_busy";
    case Reason::kBusyOrFull: return "busy_or_full";
  }
  return "unknown";
}

std::string schedule_to_json(const Schedule& schedule) {
  json::object out;
  json::array meetings;
  for (const Meeting& m : schedule.meetings) {
    meetings.push_back(json::object{{"a", m.a},
                                    {"b", m.b},
                                    {"slot", m.slot},
                                    {"table", m.table},
                                    {"locked", m.locked}});
  }
  out["meetings"] = std::move(meetings);
  out["total_weight"] = schedule.total_weight;
  out["requested"] = schedule.requested;
  out["scheduled"] = schedule.scheduled;
  out["idle_slots"] = schedule.idle_slots;
  json::array unscheduled;
  for (const Unscheduled& u : schedule.unscheduled) {
    unscheduled.push_back(json::object{{"from", u.from},
                                       {"to", u.to},
                                       {"reason", u.message},
                                       {"reason_code", reason_code(u.reason)}});
  }
  out["unscheduled"] = std::move(unscheduled);
  return json::serialize(out);
}

}  // namespace kakehashi::events::match

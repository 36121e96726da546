#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include "auth/password.h"
#include "base/text.h"
#include "geo/geo.h"
#include "operations/imports.h"
#include "operations/projects.h"
#include "operations/service.h"
#include "operations/store_imports.h"
#include "operations/store_projects.h"
#include "program/counting/io.h"
#include "program/counting/names.h"

namespace kakehashi::operations {

namespace counting = program::counting;

namespace {

constexpr std::string_view kDateAliases[] = {"実施日", "日付", "開催日", "実施年月日", "date"};
constexpr std::string_view kTitleAliases[] = {"内容", "実施内容", "プロジェクト名", "件名", "タイトル", "title"};
constexpr std::string_view kCompanyAliases[] = {"企業", "企業名", "協力企業", "連携企業", "company"};
constexpr std::string_view kMunicipalityAliases[] = {"自治体", "教育委員会", "自治体・教育委員会", "市町村", "municipality"};
constexpr std::string_view kSchoolAliases[] = {"学校", "学校名", "school"};
constexpr std::string_view kSchoolTypeAliases[] = {"学校種", "校種", "school_type"};
constexpr std::string_view kPrefectureAliases[] = {"都道府県", "prefecture"};
constexpr std::string_view kPlaceAliases[] = {"場所", "会場", "実施場所", "place"};
constexpr std::string_view kPupilsAliases[] = {"児童生徒数", "児童生徒", "生徒数", "pupils"};
constexpr std::string_view kTeachersAliases[] = {"教職員数", "教職員", "教員数", "teachers"};
constexpr std::string_view kStaffAliases[] = {"企業参加者数", "企業等参加者数", "企業参加者", "company_staff"};
constexpr std::string_view kOthersAliases[] = {"その他参加者数", "その他参加者", "others"};
constexpr std::string_view kCategoryAliases[] = {"区分", "category"};
constexpr std::string_view kSubtypeAliases[] = {"類型", "subtype"};
constexpr std::string_view kContinuityAliases[] = {"実施形態", "継続性", "continuity"};
constexpr std::string_view kNoteAliases[] = {"備考", "メモ", "note"};

constexpr ImportField kFields[] = {
    {"date", "実施日", true, kDateAliases},
    {"title", "内容（プロジェクト名）", true, kTitleAliases},
    {"company", "企業", false, kCompanyAliases},
    {"municipality", "自治体・教育委員会", false, kMunicipalityAliases},
    {"school", "学校", false, kSchoolAliases},
    {"school_type", "学校種", false, kSchoolTypeAliases},
    {"prefecture", "都道府県", false, kPrefectureAliases},
    {"place", "実施場所", false, kPlaceAliases},
    {"pupils", "児童生徒数", false, kPupilsAliases},
    {"teachers", "教職員数", false, kTeachersAliases},
    {"company_staff", "企業参加者数", false, kStaffAliases},
    {"others", "その他参加者数", false, kOthersAliases},
    {"category", "区分（ヒト・モノ・カネ）", false, kCategoryAliases},
    {"subtype", "類型", false, kSubtypeAliases},
    {"continuity", "実施形態（単発・継続・広域）", false, kContinuityAliases},
    {"note", "備考", false, kNoteAliases},
};

std::string header_key(std::string_view header) {
  std::string key = text::nfkc(text::trim(header));
  std::ranges::transform(key, key.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
  std::erase(key, ' ');
  return key;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// Dates of an activity list: what counting::parse_date reads, and Excel's serial numbers (a date
// cell of an XLSX file is a number of days since 1899-12-30).
std::optional<Date> date_of(std::string_view raw) {
  std::string_view t = text::trim(raw);
  if (auto date = counting::parse_date(t)) return date;
  double serial = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), serial);
  if (ec == std::errc{} && end == t.data() + t.size() && serial >= 20000 && serial < 80000) {
    using namespace std::chrono;
    return Date(sys_days{1899y / 12 / 30} + days{int(serial)});
  }
  return std::nullopt;
}

std::optional<int> participants_of(std::string_view raw) {
  std::string t = text::nfkc(text::trim(raw));
  std::erase(t, ',');
  if (t.ends_with("人")) t.resize(t.size() - std::string_view("人").size());
  if (t.empty()) return 0;
  if (t.ends_with(".0")) t.resize(t.size() - 2);
  int value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc{} || end != t.data() + t.size() || value < 0 || value > 100000) return std::nullopt;
  return value;
}

const SchoolType* school_type_of(std::string_view raw) {
  std::string t = text::nfkc(text::trim(raw));
  if (const SchoolType* s = find_school_type(t)) return s;
  for (const SchoolType& s : school_types()) {
    if (s.label == t) return &s;
  }
  if (t == "高校") return find_school_type("high");
  if (t == "高専") return find_school_type("technical_college");
  if (t == "中学") return find_school_type("junior_high");
  if (t == "小学") return find_school_type("elementary");
  return nullptr;
}

std::optional<Category> category_of(std::string_view raw) {
  std::string t = text::nfkc(text::trim(raw));
  if (auto c = category_from(t)) return c;
  for (Category c : {Category::kHito, Category::kMono, Category::kKane}) {
    if (category_label(c) == t) return c;
  }
  return std::nullopt;
}

const Subtype* subtype_of(std::string_view raw) {
  std::string t = text::nfkc(text::trim(raw));
  if (const Subtype* s = find_subtype(t)) return s;
  for (const Subtype& s : subtypes()) {
    if (text::nfkc(s.label) == t) return &s;
  }
  return nullptr;
}

std::optional<Continuity> continuity_of(std::string_view raw) {
  std::string t = text::nfkc(text::trim(raw));
  if (auto c = continuity_from(t)) return c;
  for (Continuity c : {Continuity::kOneOff, Continuity::kContinuing, Continuity::kWideArea}) {
    if (continuity_label(c) == t) return c;
  }
  return std::nullopt;
}

std::string school_type_list() {
  std::string out;
  for (const SchoolType& s : school_types()) {
    if (!out.empty()) out += "・";
    out += s.label;
  }
  return out;
}

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::int64_t import_id,
                     Instant now, const boost::json::object& detail) {
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), std::move(action),
                                              fmt::format("activity_import:{}", import_id),
                                              boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

// The staged import and its operator when `who` may change the operator's projects.
Result<std::pair<ActivityImport, Operator>> staged(db::Transaction& tx, const auth::Principal& who,
                                                   std::int64_t import_id, bool must_be_staged = true) {
  auto found = find_import(tx, who, import_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("取り込みが見つかりません"));
  auto op = find_operator(tx, (*found)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto allowed = may_edit_projects(tx, who, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("この実証事業者の活動記録を取り込む権限がありません"));
  if (must_be_staged && (*found)->state != ImportState::kStaged)
    return fail(Error::conflict("この取り込みは確定済みか破棄済みです"));
  return std::pair{std::move(**found), std::move(**op)};
}

Result<ImportTable> table_of(db::Transaction& tx, const ActivityImport& info) {
  auto content = store::import_content(tx, info.id);
  if (!content) return fail(content.error());
  return read_import_table(*content, info.file_name);
}

}  // namespace

std::span<const ImportField> import_fields() { return kFields; }

std::string_view to_string(ImportState state) {
  switch (state) {
    case ImportState::kStaged: return "staged";
    case ImportState::kConfirmed: return "confirmed";
    case ImportState::kDiscarded: return "discarded";
  }
  return "staged";
}

std::string_view import_state_label(ImportState state) {
  switch (state) {
    case ImportState::kStaged: return "確認待ち";
    case ImportState::kConfirmed: return "取り込み済み";
    case ImportState::kDiscarded: return "破棄";
  }
  return "確認待ち";
}

int ImportPreview::new_projects() const {
  int n = 0;
  for (const ImportGroup& g : groups) n += !g.project_id && g.new_sessions > 0;
  return n;
}

int ImportPreview::new_sessions() const {
  int n = 0;
  for (const ImportGroup& g : groups) n += g.new_sessions;
  return n;
}

Result<ImportTable> read_import_table(std::string_view bytes, std::string_view file_name) {
  if (bytes.empty()) return fail(Error::invalid("ファイルが空です"));
  if (bytes.size() > kMaxImportBytes)
    return fail(Error::invalid(fmt::format("ファイルが大きすぎます（上限 {} MB）", kMaxImportBytes / 1024 / 1024)));
  std::string lower(file_name);
  std::ranges::transform(lower, lower.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
  std::vector<csv::Row> rows;
  if (lower.ends_with(".xlsx") || bytes.starts_with("PK\x03\x04")) {
    auto read = read_xlsx_rows(bytes);
    if (!read) return fail(read.error());
    rows = std::move(*read);
  } else {
    auto utf8 = text::to_utf8(bytes);
    if (!utf8) return fail(Error::invalid("文字コードを判別できません（UTF-8 または Shift_JIS の CSV にしてください）"));
    auto parsed = csv::parse(*utf8);
    if (!parsed) return fail(parsed.error());
    rows = std::move(*parsed);
  }
  if (rows.empty()) return fail(Error::invalid("見出し行がありません"));
  ImportTable table;
  for (const std::string& h : rows.front().fields) table.headers.emplace_back(text::trim(h));
  while (!table.headers.empty() && table.headers.back().empty()) table.headers.pop_back();
  if (table.headers.empty()) return fail(Error::invalid("見出し行がありません"));
  table.rows.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
  if (table.rows.empty()) return fail(Error::invalid("見出し行のほかに活動の行がありません"));
  return table;
}

std::string to_json(const ImportMapping& m) {
  boost::json::object columns;
  for (const auto& [field, header] : m.columns) columns[field] = header;
  return boost::json::serialize(boost::json::object{
      {"columns", columns}, {"default_category", m.default_category}, {"default_subtype", m.default_subtype}});
}

ImportMapping mapping_from_json(std::string_view json) {
  ImportMapping m;
  boost::system::error_code error;
  boost::json::value v = boost::json::parse(json, error);
  if (error || !v.is_object()) return m;
  const auto& o = v.as_object();
  if (const auto* columns = o.if_contains("columns"); columns && columns->is_object()) {
    for (const auto& [field, header] : columns->as_object()) {
      if (header.is_string()) m.columns[std::string(field)] = std::string(header.as_string());
    }
  }
  if (const auto* c = o.if_contains("default_category"); c && c->is_string()) m.default_category = c->as_string();
  if (const auto* s = o.if_contains("default_subtype"); s && s->is_string()) m.default_subtype = s->as_string();
  return m;
}

ImportMapping guess_mapping(const std::vector<std::string>& headers) {
  ImportMapping m;
  for (const ImportField& f : kFields) {
    for (const std::string& h : headers) {
      std::string key = header_key(h);
      if (std::ranges::any_of(f.aliases, [&](std::string_view a) { return header_key(a) == key; })) {
        m.columns[std::string(f.id)] = h;
        break;
      }
    }
  }
  return m;
}

std::vector<FieldError> validate(const ImportMapping& m, const std::vector<std::string>& headers) {
  std::vector<FieldError> errors;
  auto mapped = [&](std::string_view id) {
    auto it = m.columns.find(std::string(id));
    return it != m.columns.end() && !it->second.empty();
  };
  for (const ImportField& f : kFields) {
    std::string name = fmt::format("map_{}", f.id);
    auto it = m.columns.find(std::string(f.id));
    if (it != m.columns.end() && !it->second.empty() && std::ranges::find(headers, it->second) == headers.end())
      errors.push_back({name, fmt::format("列「{}」はファイルにありません", it->second)});
    else if (f.required && !mapped(f.id))
      errors.push_back({name, fmt::format("{}の列を選んでください", f.label)});
  }
  if (!mapped("company") && !mapped("municipality") && !mapped("school"))
    errors.push_back({"map_company", "企業・自治体・学校のうち少なくとも一つの列を選んでください"});
  std::optional<Category> category = category_from(m.default_category);
  if (!m.default_category.empty() && !category)
    errors.push_back({"default_category", "既定の区分を一覧から選んでください"});
  if (!mapped("category") && !category)
    errors.push_back({"default_category", "区分の列を選ぶか、既定の区分を選んでください"});
  if (!m.default_subtype.empty()) {
    const Subtype* s = find_subtype(m.default_subtype);
    if (!s) errors.push_back({"default_subtype", "既定の類型を一覧から選んでください"});
    else if (category && s->category != *category)
      errors.push_back({"default_subtype", "既定の類型は既定の区分のものを選んでください"});
  }
  return errors;
}

std::string decisions_json(const std::vector<counting::Decision>& decisions) {
  boost::json::array out;
  for (const counting::Decision& d : decisions) {
    switch (d.action) {
      case counting::DecisionAction::kAccept:
        out.push_back(boost::json::object{{"action", "accept"}, {"suggestion", d.suggestion_id}});
        break;
      case counting::DecisionAction::kReject:
        out.push_back(boost::json::object{{"action", "reject"}, {"suggestion", d.suggestion_id}});
        break;
      case counting::DecisionAction::kMerge:
      case counting::DecisionAction::kSplit: {
        boost::json::array sessions;
        for (const auto& s : d.session_ids) sessions.emplace_back(s);
        out.push_back(boost::json::object{
            {"action", d.action == counting::DecisionAction::kMerge ? "merge" : "split"}, {"sessions", sessions}});
        break;
      }
    }
  }
  return boost::json::serialize(out);
}

Result<std::int64_t> stage_import(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                  const std::string& file_name, std::string_view bytes, Instant now) {
  auto op = find_operator(tx, who, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto allowed = may_edit_projects(tx, who, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("この実証事業者の活動記録を取り込む権限がありません"));
  auto table = read_import_table(bytes, file_name);
  if (!table) return fail(table.error());
  ActivityImport info;
  info.operator_id = operator_id;
  info.file_name = file_name.empty() ? std::string("activities.csv") : text::clean_name(file_name);
  info.sha256 = hex(auth::sha256(bytes));
  auto id = store::insert_import(tx, info, bytes, who.user_id, now);
  if (!id) return id;
  if (auto r = audited(tx, who, "operation.import_stage", *id, now,
                       {{"operator", operator_id}, {"rows", table->rows.size()}, {"bytes", bytes.size()},
                        {"sha256", info.sha256}});
      !r)
    return fail(r.error());
  return id;
}

Result<std::optional<ActivityImport>> find_import(db::Transaction& tx, const auth::Principal& who,
                                                  std::int64_t import_id) {
  auto found = store::find_import(tx, import_id);
  if (!found || !*found) return found;
  auto op = find_operator(tx, who, (*found)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<ActivityImport>{};
  return found;
}

Result<std::vector<ActivityImport>> list_imports(db::Transaction& tx, std::int64_t operator_id) {
  return store::imports_of(tx, operator_id);
}

Result<MappingForm> mapping_form(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id) {
  auto found = staged(tx, who, import_id);
  if (!found) return fail(found.error());
  auto table = table_of(tx, found->first);
  if (!table) return fail(table.error());
  MappingForm form;
  form.headers = table->headers;
  form.mapping = guess_mapping(form.headers);
  auto saved = store::mapping_of(tx, found->second.id);
  if (!saved) return fail(saved.error());
  if (*saved) {
    ImportMapping remembered = mapping_from_json(**saved);
    form.remembered = true;
    for (const auto& [field, header] : remembered.columns) {
      if (header.empty()) {
        form.mapping.columns.erase(field);
      } else if (std::ranges::find(form.headers, header) != form.headers.end()) {
        form.mapping.columns[field] = header;
      }
    }
    form.mapping.default_category = remembered.default_category;
    form.mapping.default_subtype = remembered.default_subtype;
  }
  return form;
}

Result<void> save_mapping(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id,
                          const ImportMapping& mapping, Instant now) {
  auto found = staged(tx, who, import_id);
  if (!found) return fail(found.error());
  auto table = table_of(tx, found->first);
  if (!table) return fail(table.error());
  if (auto errors = validate(mapping, table->headers); !errors.empty())
    return fail(Error::invalid(join_messages(errors)));
  // Unmapped fields are remembered as "" so that a column left out on purpose stays out.
  ImportMapping stored = mapping;
  for (const ImportField& f : kFields) stored.columns.try_emplace(std::string(f.id), "");
  if (auto r = store::save_mapping(tx, found->second.id, to_json(stored), now); !r) return r;
  boost::json::array fields;
  for (const auto& [field, header] : mapping.columns)
    if (!header.empty()) fields.emplace_back(field);
  return audited(tx, who, "operation.import_mapping", import_id, now,
                 {{"operator", found->second.id}, {"fields", fields}});
}

Result<ImportPreview> preview_import(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id) {
  auto found = find_import(tx, who, import_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("取り込みが見つかりません"));
  if ((*found)->state != ImportState::kStaged) return fail(Error::conflict("この取り込みは確定済みか破棄済みです"));
  ImportPreview preview;
  preview.info = **found;
  auto table = table_of(tx, preview.info);
  if (!table) return fail(table.error());
  auto saved = store::mapping_of(tx, preview.info.operator_id);
  if (!saved) return fail(saved.error());
  if (!*saved) return fail(Error::invalid("列の対応を先に設定してください"));
  preview.mapping = mapping_from_json(**saved);
  preview.headers = table->headers;
  if (auto errors = validate(preview.mapping, preview.headers); !errors.empty())
    return fail(Error::invalid("列の対応がこのファイルと合いません。列の対応を設定し直してください"));
  preview.data_rows = table->rows.size();

  std::array<std::optional<std::size_t>, std::size(kFields)> column;
  for (std::size_t f = 0; f < std::size(kFields); ++f) {
    auto it = preview.mapping.columns.find(std::string(kFields[f].id));
    if (it == preview.mapping.columns.end() || it->second.empty()) continue;
    auto at = std::ranges::find(preview.headers, it->second);
    if (at != preview.headers.end()) column[f] = std::size_t(at - preview.headers.begin());
  }
  enum F { kDate, kTitle, kCompany, kMunicipality, kSchool, kSchoolType, kPrefecture, kPlace, kPupils, kTeachers,
           kStaff, kOthers, kCategory, kSubtype, kContinuity, kNote };
  std::optional<Category> default_category = category_from(preview.mapping.default_category);
  const Subtype* default_subtype = find_subtype(preview.mapping.default_subtype);
  auto keys = store::source_keys(tx, preview.info.operator_id);
  if (!keys) return fail(keys.error());
  std::unordered_map<std::string, std::string> prefecture_codes;  // as typed -> code or "" (unknown)
  // Each distinct spelling is normalised once (a list repeats its companies, schools and titles).
  std::unordered_map<std::string, std::string> cleaned;
  auto clean = [&](std::string_view raw) -> const std::string& {
    auto found = cleaned.find(std::string(raw));
    if (found != cleaned.end()) return found->second;
    return cleaned.emplace(std::string(raw), text::clean_name(raw)).first->second;
  };
  auto known_keys = store::counting_keys(tx, preview.info.operator_id);
  if (!known_keys) return fail(known_keys.error());

  std::vector<counting::ActivityRecord> records;
  records.reserve(table->rows.size());
  preview.rows.reserve(table->rows.size());
  for (const csv::Row& source : table->rows) {
    auto field = [&](int f) -> std::string_view {
      if (!column[f] || *column[f] >= source.fields.size()) return {};
      return text::trim(source.fields[*column[f]]);
    };
    bool all_blank = true;
    for (std::size_t f = 0; f < column.size() && all_blank; ++f) all_blank = field(int(f)).empty();
    if (all_blank) continue;
    ImportRow row;
    row.line = source.line;
    std::vector<std::string> problems;
    if (field(kDate).empty()) problems.push_back("実施日がありません");
    else if (auto d = date_of(field(kDate))) row.held_on = *d;
    else problems.push_back(fmt::format("実施日「{}」を読み取れません", field(kDate)));
    row.title = clean(field(kTitle));
    if (row.title.empty()) problems.push_back("内容（プロジェクト名）がありません");
    row.company = clean(field(kCompany));
    row.municipality = clean(field(kMunicipality));
    row.school = clean(field(kSchool));
    if (row.company.empty() && row.municipality.empty() && row.school.empty())
      problems.push_back("企業・自治体・学校のいずれも記載がありません");
    if (!field(kSchoolType).empty()) {
      if (const SchoolType* s = school_type_of(field(kSchoolType))) row.school_type = s->id;
      else problems.push_back(fmt::format("学校種「{}」は{}のいずれかです", field(kSchoolType), school_type_list()));
    }
    if (!field(kPrefecture).empty()) {
      std::string typed(field(kPrefecture));
      auto [it, inserted] = prefecture_codes.try_emplace(typed);
      if (inserted) {
        auto name = counting::prefecture_name(typed);
        const geo::Prefecture* p = name ? geo::find_prefecture_by_name(*name) : nullptr;
        it->second = p ? std::string(p->code) : std::string();
      }
      if (it->second.empty()) problems.push_back(fmt::format("都道府県「{}」を読み取れません", typed));
      else row.prefecture_code = it->second;
    }
    row.place = clean(field(kPlace));
    for (auto [f, target, label] : {std::tuple{kPupils, &row.pupils, "児童生徒数"}, std::tuple{kTeachers, &row.teachers, "教職員数"},
                                    std::tuple{kStaff, &row.company_staff, "企業参加者数"},
                                    std::tuple{kOthers, &row.others, "その他参加者数"}}) {
      if (auto n = participants_of(field(f))) *target = *n;
      else problems.push_back(fmt::format("{}「{}」は 0 以上の整数で入力してください", label, field(f)));
    }
    std::optional<Category> category = default_category;
    if (!field(kCategory).empty()) {
      category = category_of(field(kCategory));
      if (!category) problems.push_back(fmt::format("区分「{}」はヒト・モノ・カネのいずれかです", field(kCategory)));
    } else if (!category) {
      problems.push_back("区分がありません");
    }
    if (category) row.category = *category;
    if (!field(kSubtype).empty()) {
      const Subtype* s = subtype_of(field(kSubtype));
      if (!s) problems.push_back(fmt::format("類型「{}」を読み取れません", field(kSubtype)));
      else if (category && s->category != *category)
        problems.push_back(fmt::format("類型「{}」は区分「{}」のものではありません", s->label, category_label(*category)));
      else row.subtype = s->id;
    } else if (default_subtype && category && default_subtype->category == *category) {
      row.subtype = default_subtype->id;
    }
    if (!field(kContinuity).empty()) {
      row.continuity = continuity_of(field(kContinuity));
      if (!row.continuity) problems.push_back(fmt::format("実施形態「{}」は単発・継続・広域のいずれかです", field(kContinuity)));
    }
    row.note = std::string(field(kNote));
    if (row.note.size() > 4000) problems.push_back("備考が長すぎます（4000 バイトまで）");
    if (row.title.size() > 200) problems.push_back("内容（プロジェクト名）が長すぎます（200 バイトまで）");
    if (!problems.empty()) {
      for (auto& message : problems) preview.errors.push_back({source.line, std::move(message)});
      continue;
    }
    // The row as written (every cell normalised, trailing empty cells dropped), whatever the
    // mapping: the same row imported again, with the same or another mapping, is one session.
    std::string canonical;
    std::size_t cells = source.fields.size();
    while (cells > 0 && text::trim(source.fields[cells - 1]).empty()) --cells;
    for (std::size_t c = 0; c < cells; ++c) {
      // The date as a date, so that a CSV export and the XLSX it came from (a serial number
      // there) are the same row.
      canonical += column[kDate] && c == *column[kDate] ? row.held_on.iso() : clean(source.fields[c]);
      canonical += '\x1f';
    }
    row.source_key = hex(auth::sha256(canonical));
    row.known = keys->contains(row.source_key);
    counting::ActivityRecord record;
    record.line = source.line;
    record.id = std::to_string(source.line);
    record.date = row.held_on;
    record.title = row.title;
    record.company = row.company;
    record.partner = row.school.empty() ? row.municipality : row.school;
    if (!row.prefecture_code.empty())
      record.prefecture = std::string(geo::find_prefecture_by_code(row.prefecture_code)->name);
    record.category = std::string(category_label(row.category));
    records.push_back(std::move(record));
    preview.rows.push_back(std::move(row));
  }

  auto decisions = counting::parse_decisions(preview.info.decisions);
  if (decisions) preview.decisions = std::move(*decisions);
  counting::CountResult result = counting::count_projects(records, preview.decisions);
  preview.suggestions = std::move(result.suggestions);
  preview.outcomes = std::move(result.decisions);
  std::unordered_map<std::string, std::size_t> row_of_id;
  row_of_id.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) row_of_id.emplace(records[i].id, i);
  std::unordered_set<std::string> seen;
  for (counting::Project& p : result.projects) {
    ImportGroup g;
    g.key = p.id;
    g.title = std::move(p.title);
    g.company = std::move(p.company);
    g.partner = std::move(p.partner);
    g.prefecture = std::move(p.prefecture);
    g.categories = std::move(p.categories);
    g.why = std::move(p.why);
    g.first = p.first_date;
    g.last = p.last_date;
    for (const std::string& id : p.session_ids) {
      std::size_t i = row_of_id.at(id);
      g.rows.push_back(i);
      const ImportRow& row = preview.rows[i];
      if (!row.known && seen.insert(row.source_key).second) ++g.new_sessions;
      if (row.known && !g.project_id) g.project_id = keys->at(row.source_key);
    }
    if (!g.project_id) {
      if (auto existing = known_keys->find(g.key); existing != known_keys->end()) g.project_id = existing->second;
    }
    preview.groups.push_back(std::move(g));
  }
  return preview;
}

Result<void> add_decision(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id,
                          const counting::Decision& decision, Instant now) {
  auto found = staged(tx, who, import_id);
  if (!found) return fail(found.error());
  if ((decision.action == counting::DecisionAction::kAccept || decision.action == counting::DecisionAction::kReject) &&
      decision.suggestion_id.empty())
    return fail(Error::invalid("提案を選んでください"));
  if (decision.action == counting::DecisionAction::kMerge && decision.session_ids.size() < 2)
    return fail(Error::invalid("まとめるプロジェクトを二つ以上選んでください"));
  if (decision.action == counting::DecisionAction::kSplit && decision.session_ids.empty())
    return fail(Error::invalid("分ける行を一つ以上選んでください"));
  auto decisions = counting::parse_decisions(found->first.decisions);
  std::vector<counting::Decision> list = decisions ? std::move(*decisions) : std::vector<counting::Decision>{};
  if (list.size() >= 1000) return fail(Error::invalid("判断が多すぎます（1000 件まで）"));
  list.push_back(decision);
  if (auto r = store::set_decisions(tx, import_id, decisions_json(list)); !r) return r;
  std::string_view action = decision.action == counting::DecisionAction::kAccept   ? "accept"
                            : decision.action == counting::DecisionAction::kReject ? "reject"
                            : decision.action == counting::DecisionAction::kMerge  ? "merge"
                                                                                    : "split";
  return audited(tx, who, "operation.import_decide", import_id, now,
                 {{"action", action}, {"rows", decision.session_ids.size()}});
}

Result<void> clear_decisions(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id, Instant now) {
  auto found = staged(tx, who, import_id);
  if (!found) return fail(found.error());
  if (auto r = store::set_decisions(tx, import_id, "[]"); !r) return r;
  return audited(tx, who, "operation.import_decide", import_id, now, {{"action", "clear"}});
}

Result<ImportSummary> confirm_import(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id,
                                     bool skip_error_rows, Instant now) {
  auto found = staged(tx, who, import_id);
  if (!found) return fail(found.error());
  const Operator& op = found->second;
  auto preview = preview_import(tx, who, import_id);
  if (!preview) return fail(preview.error());
  std::set<std::size_t> error_lines;
  for (const RowError& e : preview->errors) error_lines.insert(e.line);
  if (!error_lines.empty() && !skip_error_rows)
    return fail(Error::invalid(fmt::format(
        "{} 行にエラーがあります。ファイルを直して取り込み直すか、エラーのある行を除いて取り込むことを選んでください",
        error_lines.size())));
  ImportSummary summary;
  summary.rows_skipped = int(error_lines.size());
  std::unordered_set<std::string> added;
  for (const ImportGroup& g : preview->groups) {
    std::vector<const ImportRow*> rows;
    for (std::size_t i : g.rows) rows.push_back(&preview->rows[i]);
    int fresh = 0;
    for (const ImportRow* r : rows) {
      if (r->known || added.contains(r->source_key)) ++summary.sessions_known;
      else ++fresh;
    }
    if (fresh == 0) continue;
    std::int64_t project_id = 0;
    // The parties the rows name: the group's company and partner spellings, every school.
    std::vector<Party> parties;
    auto add_party = [&](PartyKind kind, const std::string& name, std::optional<std::string> type,
                         std::optional<std::string> pref) {
      if (name.empty()) return;
      if (std::ranges::any_of(parties, [&](const Party& p) { return p.kind == kind && p.name == name; })) return;
      parties.push_back({0, kind, name, std::move(type), std::move(pref)});
    };
    add_party(PartyKind::kCompany, g.company, std::nullopt, std::nullopt);
    for (const ImportRow* r : rows) {
      if (!r->municipality.empty())
        add_party(PartyKind::kMunicipality, r->municipality, std::nullopt,
                  r->prefecture_code.empty() ? std::nullopt : std::optional(r->prefecture_code));
      if (!r->school.empty())
        add_party(PartyKind::kSchool, r->school, r->school_type.empty() ? std::nullopt : std::optional(r->school_type),
                  r->prefecture_code.empty() ? std::nullopt : std::optional(r->prefecture_code));
      if (parties.size() >= 50) break;
    }
    if (g.project_id) {
      project_id = *g.project_id;
      auto present = store::party_keys(tx, project_id);
      if (!present) return fail(present.error());
      for (const Party& p : parties) {
        if (present->contains(std::string(to_string(p.kind)) + '\x1f' + p.name)) continue;
        if (auto r = store::add_party(tx, project_id, p); !r) return fail(r.error());
      }
      ++summary.projects_extended;
    } else {
      Project p;
      p.operator_id = op.id;
      p.block_id = op.blocks.empty() ? std::string() : op.blocks.front().block_id;
      for (const ImportRow* r : rows) {
        if (r->prefecture_code.empty()) continue;
        const geo::Prefecture* pref = geo::find_prefecture_by_code(r->prefecture_code);
        if (pref && std::ranges::any_of(op.blocks, [&](const OperatorBlock& b) { return b.block_id == pref->block_id; })) {
          p.block_id = std::string(pref->block_id);
          break;
        }
      }
      p.title = g.title.empty() ? rows.front()->title : g.title;
      std::array<int, 3> votes{};
      for (const ImportRow* r : rows) ++votes[std::size_t(r->category)];
      p.category = Category(std::ranges::max_element(votes) - votes.begin());
      for (const ImportRow* r : rows) {
        if (!r->subtype.empty() && r->category == p.category) {
          p.subtype = r->subtype;
          break;
        }
      }
      p.continuity = rows.size() > 1 ? Continuity::kContinuing : Continuity::kOneOff;
      for (const ImportRow* r : rows) {
        if (r->continuity) {
          p.continuity = *r->continuity;
          break;
        }
      }
      p.counting_key = g.key;
      p.parties = std::move(parties);
      auto id = store::insert_project(tx, p, now);
      if (!id) return fail(id.error());
      project_id = *id;
      ++summary.projects_created;
    }
    for (const ImportRow* r : rows) {
      if (r->known || !added.insert(r->source_key).second) continue;
      Session s;
      s.held_on = r->held_on;
      s.place = r->place;
      s.pupils = r->pupils;
      s.teachers = r->teachers;
      s.company_staff = r->company_staff;
      s.others = r->others;
      s.note = r->note;
      s.source_key = r->source_key;
      if (auto id = store::insert_session(tx, project_id, s, now); !id) return fail(id.error());
      ++summary.sessions_added;
    }
  }
  boost::json::object detail{{"operator", op.id},
                             {"projects_created", summary.projects_created},
                             {"projects_extended", summary.projects_extended},
                             {"sessions_added", summary.sessions_added},
                             {"sessions_known", summary.sessions_known},
                             {"rows_skipped", summary.rows_skipped},
                             {"decisions", preview->decisions.size()}};
  if (auto r = store::close_import(tx, import_id, ImportState::kConfirmed, boost::json::serialize(detail), now); !r)
    return fail(r.error());
  if (auto r = audited(tx, who, "operation.import_confirm", import_id, now, detail); !r) return fail(r.error());
  return summary;
}

Result<void> discard_import(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id, Instant now) {
  auto found = staged(tx, who, import_id);
  if (!found) return fail(found.error());
  if (auto r = store::close_import(tx, import_id, ImportState::kDiscarded, "", now); !r) return r;
  return audited(tx, who, "operation.import_discard", import_id, now, {{"operator", found->second.id}});
}

}  // namespace kakehashi::operations

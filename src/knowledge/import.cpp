#include "knowledge/import.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "audit/audit.h"
#include "auth/policy.h"
#include "base/date.h"
#include "base/text.h"
#include "geo/geo.h"
#include "knowledge/search.h"
#include "knowledge/service.h"
#include "knowledge/store.h"
#include "operations/imports.h"

namespace kakehashi::knowledge {
namespace {

constexpr std::string_view kTitle[] = {"タイトル", "事例名", "題名", "title"};
constexpr std::string_view kSummary[] = {"概要", "要約", "summary"};
constexpr std::string_view kBody[] = {"本文", "取組内容", "内容", "詳細", "body"};
constexpr std::string_view kCategory[] = {"分野", "連携分野", "ヒト・モノ・カネ", "category"};
constexpr std::string_view kSubtype[] = {"分野の詳細", "取組の種類", "類型", "subtype"};
constexpr std::string_view kPrefecture[] = {"都道府県", "所在地", "prefecture"};
constexpr std::string_view kSchool[] = {"学校種", "対象校種", "school_types"};
constexpr std::string_view kIndustry[] = {"産業界への効果", "企業への効果", "effect_industry"};
constexpr std::string_view kEducation[] = {"教育現場への効果", "学校への効果", "effect_education"};
constexpr std::string_view kYear[] = {"年度", "実施年度", "year"};

constexpr ImportField kFields[] = {
    {"title", "タイトル", true, kTitle},
    {"summary", "概要", true, kSummary},
    {"body", "本文", false, kBody},
    {"category", "分野（ヒト・モノ・カネ）", true, kCategory},
    {"subtype", "分野の詳細", false, kSubtype},
    {"prefecture", "都道府県", false, kPrefecture},
    {"school_types", "学校種", false, kSchool},
    {"effect_industry", "産業界への効果", false, kIndustry},
    {"effect_education", "教育現場への効果", false, kEducation},
    {"year", "年度", false, kYear},
};

std::optional<std::string> category_code(std::string_view text) {
  std::string n = normalize(text::trim(text));
  if (n == "ひと" || n == "hito") return "hito";
  if (n == "もの" || n == "mono") return "mono";
  if (n == "かね" || n == "kane") return "kane";
  return std::nullopt;
}

// 「小学校・中学校」「高校」 → codes; unknown words are a problem.
Result<std::vector<std::string>> school_codes(std::string_view text) {
  std::vector<std::string> out;
  std::string n = normalize(text);
  for (char& c : n)
    if (c == ',' || c == ';' || c == '/') c = ' ';
  std::string rest;
  for (std::string_view word : {"・", "、", "，"}) {
    std::size_t at;
    while ((at = n.find(word)) != std::string::npos) n.replace(at, word.size(), " ");
  }
  std::size_t start = 0;
  while (start < n.size()) {
    std::size_t space = n.find(' ', start);
    std::string w = n.substr(start, space == std::string::npos ? std::string::npos : space - start);
    start = space == std::string::npos ? n.size() : space + 1;
    if (w.empty()) continue;
    std::string code;
    if (w == "小学校" || w == "小") code = "elementary";
    else if (w == "中学校" || w == "中") code = "junior_high";
    else if (w == "高等学校" || w == "高校" || w == "高") code = "high";
    else if (w == "特別支援学校" || w == "特支") code = "special";
    else if (w == "高等専門学校" || w == "高専") code = "kosen";
    else return fail(Error::invalid(fmt::format("学校種「{}」が分かりません", w)));
    if (std::ranges::find(out, code) == out.end()) out.push_back(code);
  }
  return out;
}

struct Loaded {
  PendingImport pending;
  std::string bytes;
};

Result<std::optional<Loaded>> load(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (!auth::may(who, auth::Action::kCurateKnowledge)) return std::optional<Loaded>{};
  auto row = store::find_import(tx, id);
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Loaded>{};
  Loaded out;
  out.pending.id = (*row)->id;
  out.pending.file_name = (*row)->file_name;
  boost::system::error_code ec;
  auto headers = boost::json::parse((*row)->headers_json, ec);
  if (!ec && headers.is_array())
    for (const auto& h : headers.as_array())
      if (h.is_string()) out.pending.headers.emplace_back(h.as_string());
  out.pending.rows = (*row)->rows;
  out.pending.imported_at = (*row)->imported_at;
  out.bytes = std::move((*row)->bytes);
  return std::optional<Loaded>{std::move(out)};
}

// The drafts of every row, or the problems.
Result<std::vector<Draft>> drafts_of(const Loaded& loaded, const ImportOptions& o, std::vector<FieldError>& errors) {
  auto table = operations::read_import_table(loaded.bytes, loaded.pending.file_name);
  if (!table) return fail(table.error());
  std::map<std::string, std::size_t> column;
  for (const ImportField& f : kFields) {
    auto chosen = o.columns.find(std::string(f.id));
    if (chosen == o.columns.end() || chosen->second.empty()) {
      if (f.required) errors.push_back({std::string(f.id), fmt::format("「{}」の列を選んでください", f.label)});
      continue;
    }
    auto at = std::ranges::find(table->headers, chosen->second);
    if (at == table->headers.end()) {
      errors.push_back({std::string(f.id), fmt::format("「{}」の列「{}」がファイルにありません", f.label, chosen->second)});
      continue;
    }
    column[std::string(f.id)] = static_cast<std::size_t>(at - table->headers.begin());
  }
  if (text::trim(o.source).empty()) errors.push_back({"source", "出典（事例集の名前）を入力してください"});
  if (!errors.empty()) return std::vector<Draft>{};
  std::vector<Draft> out;
  for (const csv::Row& row : table->rows) {
    auto cell = [&](const char* id) -> std::string {
      auto c = column.find(id);
      if (c == column.end() || c->second >= row.fields.size()) return {};
      return std::string(text::trim(row.fields[c->second]));
    };
    Draft d;
    d.kind = Kind::kCase;
    d.title = cell("title");
    d.summary = cell("summary");
    d.body = cell("body");
    d.subtype = cell("subtype");
    d.effect_industry = cell("effect_industry");
    d.effect_education = cell("effect_education");
    d.source = std::string(text::trim(o.source));
    d.year = o.year;
    d.consent = true;
    d.consent_note = fmt::format("{}として公表済みの事例", d.source);
    std::string where = fmt::format("{}行目", row.line);
    bool category_known = false;
    if (auto c = category_code(cell("category"))) {
      d.category = *c;
      category_known = true;
    } else {
      errors.push_back({"rows", fmt::format("{}: 分野「{}」が分かりません（ヒト・モノ・カネ）", where, cell("category"))});
    }
    if (std::string p = cell("prefecture"); !p.empty()) {
      const geo::Prefecture* pref = geo::find_prefecture_by_name(p);
      if (!pref) errors.push_back({"rows", fmt::format("{}: 都道府県「{}」が分かりません", where, p)});
      else {
        d.prefecture = std::string(pref->name);
        d.block_id = std::string(pref->block_id);
      }
    }
    if (std::string s = cell("school_types"); !s.empty()) {
      auto codes = school_codes(s);
      if (!codes) errors.push_back({"rows", fmt::format("{}: {}", where, codes.error().message)});
      else d.school_types = *codes;
    }
    if (std::string y = cell("year"); !y.empty()) {
      std::string n = normalize(y);
      int value = 0;
      for (char c : n)
        if (c >= '0' && c <= '9') value = value * 10 + (c - '0');
      if (n.find("令和") != std::string::npos && value > 0 && value < 100) value += 2018;
      d.year = value;
    }
    for (const FieldError& e : validate(d))
      if (category_known || e.field != "category") errors.push_back({"rows", fmt::format("{}: {}", where, e.message)});
    out.push_back(std::move(d));
  }
  if (out.empty()) errors.push_back({"rows", "取り込む行がありません"});
  return out;
}

}  // namespace

std::span<const ImportField> import_fields() { return kFields; }

ColumnMapping guess_columns(const std::vector<std::string>& headers) {
  ColumnMapping out;
  for (const ImportField& f : kFields) {
    for (const std::string& h : headers) {
      std::string n = normalize(h);
      bool hit = std::ranges::any_of(f.aliases, [&](std::string_view a) { return normalize(a) == n; });
      if (hit) {
        out[std::string(f.id)] = h;
        break;
      }
    }
  }
  return out;
}

Result<std::int64_t> upload_collection(db::Transaction& tx, const auth::Principal& who, const std::string& file_name,
                                       const std::string& bytes, Instant now) {
  if (!auth::may(who, auth::Action::kCurateKnowledge)) return fail(Error::denied("事例集を取り込む権限がありません"));
  if (bytes.empty()) return fail(Error::invalid("ファイルを選んでください"));
  if (bytes.size() > kMaxImportBytes) return fail(Error::invalid("ファイルは 20 MB 以下にしてください"));
  auto table = operations::read_import_table(bytes, file_name);
  if (!table) return fail(Error::invalid(table.error().message));
  boost::json::array headers;
  for (const auto& h : table->headers) headers.emplace_back(h);
  auto id = store::insert_import(tx, file_name, bytes, boost::json::serialize(headers),
                                 std::int64_t(table->rows.size()), who.user_id, now);
  if (!id) return id;
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), "knowledge.upload",
                                              fmt::format("knowledge_import:{}", *id),
                                              boost::json::serialize(boost::json::object{
                                                  {"rows", table->rows.size()}, {"bytes", bytes.size()}})),
                              now);
  if (!logged) return fail(logged.error());
  return id;
}

Result<std::optional<PendingImport>> find_import(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  auto loaded = load(tx, who, id);
  if (!loaded) return fail(loaded.error());
  if (!*loaded) return std::optional<PendingImport>{};
  return std::optional<PendingImport>{std::move((*loaded)->pending)};
}

Result<std::vector<FieldError>> check_import(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                             const ImportOptions& options) {
  auto loaded = load(tx, who, id);
  if (!loaded) return fail(loaded.error());
  if (!*loaded) return fail(Error::not_found("取り込みが見つかりません"));
  std::vector<FieldError> errors;
  auto drafts = drafts_of(**loaded, options, errors);
  if (!drafts) return fail(drafts.error());
  return errors;
}

Result<int> import_collection(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                              const ImportOptions& options, Instant now) {
  auto loaded = load(tx, who, id);
  if (!loaded) return fail(loaded.error());
  if (!*loaded) return fail(Error::not_found("取り込みが見つかりません"));
  if ((*loaded)->pending.imported_at) return fail(Error::conflict("このファイルは取り込み済みです"));
  std::vector<FieldError> errors;
  auto drafts = drafts_of(**loaded, options, errors);
  if (!drafts) return fail(drafts.error());
  if (!errors.empty()) return fail(Error::invalid(join_messages(errors)));
  int created = 0;
  for (const Draft& d : *drafts) {
    auto item_id = create_item(tx, who, d, now);
    if (!item_id) return fail(item_id.error());
    if (auto sent = submit(tx, who, *item_id, now); !sent) return fail(sent.error());
    ++created;
  }
  if (auto done = store::mark_imported(tx, id, now); !done)
    return fail(done.error());
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), "knowledge.import",
                                              fmt::format("knowledge_import:{}", id),
                                              boost::json::serialize(boost::json::object{
                                                  {"cases", created}, {"source", options.source}, {"year", options.year}})),
                              now);
  if (!logged) return fail(logged.error());
  return created;
}

}  // namespace kakehashi::knowledge

#include "knowledge/service.h"

#include <boost/json.hpp>
#include <cairo.h>
#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "audit/audit.h"
#include "auth/policy.h"
#include "base/date.h"
#include "base/text.h"
#include "geo/geo.h"
#include "inspect/finding.h"
#include "inspect/photo.h"
#include "inspect/pii.h"
#include "knowledge/search.h"
#include "knowledge/store.h"
#include "operations/access.h"
#include "operations/service.h"

namespace kakehashi::knowledge {
namespace {

constexpr std::size_t kTitleLimit = 200;
constexpr std::size_t kShortLimit = 4000;
constexpr std::size_t kBodyLimit = 100'000;
constexpr std::size_t kFiguresLimit = 20;
constexpr std::size_t kReasonLimit = 2000;

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::int64_t id, Instant now,
                     const boost::json::object& detail = {}) {
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), std::move(action),
                                              fmt::format("knowledge:{}", id),
                                              detail.empty() ? std::string() : boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

std::vector<FacetValue> labelled(const std::vector<store::FacetCount>& counts, auto label) {
  std::vector<FacetValue> out;
  for (const auto& c : counts) out.push_back({c.code, std::string(label(c.code)), c.count});
  return out;
}

std::vector<FacetValue> in_table_order(const std::vector<store::FacetCount>& counts, std::span<const Code> table) {
  std::vector<FacetValue> out;
  for (const Code& code : table)
    for (const auto& c : counts)
      if (c.code == code.code) out.push_back({c.code, std::string(code.label), c.count});
  return out;
}

std::string hit_text(const Item& item) {
  std::string text = item.summary;
  if (!item.body.empty()) text += "\n" + markdown_plain(item.body);
  if (!item.advice.empty()) text += "\n" + item.advice;
  if (!item.effect_industry.empty()) text += "\n" + item.effect_industry;
  if (!item.effect_education.empty()) text += "\n" + item.effect_education;
  return text;
}

Result<SearchResult> run_search(db::Transaction& tx, const SearchRequest& r, store::Visibility visibility) {
  store::Filter f;
  f.kind = r.kind;
  f.visibility = std::move(visibility);
  f.terms = query_terms(r.q);
  f.category = r.category;
  f.block_id = r.block_id;
  f.school_type = r.school_type;
  f.effect = r.effect;
  f.outcome = r.outcome;
  f.stakeholder = r.stakeholder;
  f.status = r.status;
  f.limit = std::clamp(r.per_page, 1, 200);
  f.offset = static_cast<std::int64_t>(std::max(1, r.page) - 1) * f.limit;
  auto page = store::search(tx, f, true);
  if (!page) return fail(page.error());
  SearchResult out;
  out.total = page->total;
  out.terms = f.terms;
  for (Item& item : page->items) {
    std::string snippet = snippet_html(hit_text(item), f.terms);
    std::string title = snippet_html(item.title, f.terms, 1000);
    out.hits.push_back({std::move(item), std::move(title), std::move(snippet)});
  }
  out.categories = in_table_order(page->categories, categories());
  out.school_types = in_table_order(page->school_types, school_types());
  out.effects = in_table_order(page->effects, effects());
  out.outcomes = in_table_order(page->outcomes, outcomes());
  std::vector<store::FacetCount> blocks = page->blocks;
  std::ranges::sort(blocks, {}, [](const store::FacetCount& c) {
    const geo::Block* b = geo::find_block(c.code);
    return b ? b->order : 99;
  });
  out.blocks = labelled(blocks, [](const std::string& code) { return geo::block_label(code); });
  return out;
}

Result<operations::Reach> view_reach(db::Transaction& tx, const auth::Principal& who) {
  return operations::reach(tx, who, auth::Action::kViewKnowledge);
}

bool reach_covers(const operations::Reach& reach, const Item& item) {
  if (reach.all) return true;
  if (reach.organisation_id && item.organisation_id && *reach.organisation_id == *item.organisation_id) return true;
  return !item.block_id.empty() && reach.blocks.contains(item.block_id);
}

Result<bool> may_edit_text(db::Transaction& tx, const auth::Principal& who, const Item& item) {
  auto edit = operations::reach(tx, who, auth::Action::kEditKnowledge);
  if (!edit) return fail(edit.error());
  bool curator = auth::may(who, auth::Action::kCurateKnowledge);
  if (item.status == Status::kDraft) return curator || reach_covers(*edit, item);
  if (item.status == Status::kReview) return curator;
  return false;
}

// The item within `who`'s reach, or not_found.
Result<Item> load(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  auto item = find_item(tx, who, id);
  if (!item) return fail(item.error());
  if (!*item) return fail(Error::not_found("事例・教訓が見つかりません"));
  return std::move(**item);
}

Result<Item> load_curated(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  auto item = load(tx, who, id);
  if (!item) return item;
  if (!auth::may(who, auth::Action::kCurateKnowledge)) return fail(Error::denied("事例・教訓を審査する権限がありません"));
  return item;
}

Result<void> save(db::Transaction& tx, Item& item, Instant now) {
  item.updated_at = iso_utc(now);
  auto id = store::save_item(tx, item, search_text_of(item));
  if (!id) return fail(id.error());
  item.id = *id;
  return {};
}

Result<void> expect_status(const Item& item, Status status, std::string_view message) {
  if (item.status != status) return fail(Error::conflict(std::string(message)));
  return {};
}

bool blocking(const PiiFinding& f) {
  const inspect::FindingCode* code = inspect::find_code(f.code);
  return !code || code->severity != inspect::Severity::kInfo;
}

std::vector<PiiFinding> scan(db::Transaction& tx, const Item& item, Result<void>& error) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"タイトル", item.title},         {"概要", item.summary},
      {"本文", item.body},               {"次に活かすこと", item.advice},
      {"産業界への効果", item.effect_industry}, {"教育現場への効果", item.effect_education},
      {"分類の詳細", item.subtype},     {"関連プロジェクト", item.projects}};
  for (const Figure& f : item.figures) fields.push_back({"数値", f.label + " " + f.value + " " + f.unit});
  auto pictures = store::photos_of(tx, item.id);
  if (!pictures) {
    error = fail(pictures.error());
    return {};
  }
  for (const Photo& p : *pictures) fields.push_back({"写真の説明", p.caption});
  inspect::DenyList none;
  std::vector<PiiFinding> out;
  for (const auto& [field, text] : fields) {
    for (const inspect::PiiMatch& m : inspect::find_pii(text, none)) {
      out.push_back({m.code, std::string(inspect::finding_label(m.code)), field, inspect::mask_value(m.code, m.value)});
    }
  }
  return out;
}

bool all_known(std::span<const Code> table, const std::vector<std::string>& codes) {
  return std::ranges::all_of(codes, [&](const std::string& c) { return known(table, c); });
}

bool numeric(std::string_view text) {
  if (text.empty()) return false;
  bool digit = false, dot = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') digit = true;
    else if (c == '.' && !dot) dot = true;
    else if (c == '-' && i == 0) continue;
    else if (c == ',') continue;
    else return false;
  }
  return digit;
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < length; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

struct PngReader {
  const std::string* bytes;
  std::size_t at = 0;
};
cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->at + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes->data() + r->at, length);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}
cairo_status_t write_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string join_messages(const std::vector<FieldError>& errors) {
  std::string out;
  for (const FieldError& e : errors) {
    if (!out.empty()) out += "／";
    out += e.message;
  }
  return out;
}

std::string search_text_of(const Item& item) {
  std::string text = item.title + "\n" + item.summary + "\n" + markdown_plain(item.body) + "\n" + item.advice + "\n" +
                     item.subtype + "\n" + item.effect_industry + "\n" + item.effect_education + "\n" + item.prefecture +
                     "\n" + item.projects;
  for (const Figure& f : item.figures) text += "\n" + f.label + " " + f.value + f.unit;
  return normalize(text);
}

Result<std::int64_t> store_item(db::Transaction& tx, const Item& item) {
  return store::save_item(tx, item, search_text_of(item));
}

Result<std::int64_t> like_scan_count(db::Transaction& tx, const std::string& term) {
  return store::count_like_scan(tx, normalize(term));
}

Result<SearchResult> search_published(db::Transaction& tx, const SearchRequest& request) {
  SearchRequest r = request;
  r.status.reset();
  return run_search(tx, r, store::Visibility{});
}

Result<SearchResult> search_for(db::Transaction& tx, const auth::Principal& who, const SearchRequest& request) {
  auto reach = view_reach(tx, who);
  if (!reach) return fail(reach.error());
  store::Visibility v;
  v.published_only = reach->none();
  v.all = reach->all;
  v.organisation_id = reach->organisation_id;
  v.blocks = reach->blocks;
  return run_search(tx, request, std::move(v));
}

Result<std::optional<Item>> find_published(db::Transaction& tx, std::int64_t id) {
  auto item = store::find_item(tx, id);
  if (!item || !*item) return item;
  if ((*item)->status != Status::kPublished) return std::optional<Item>{};
  return item;
}

Result<std::optional<Item>> find_item(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  auto item = store::find_item(tx, id);
  if (!item || !*item) return item;
  if ((*item)->status == Status::kPublished) return item;
  auto reach = view_reach(tx, who);
  if (!reach) return fail(reach.error());
  if (!reach_covers(*reach, **item)) return std::optional<Item>{};
  return item;
}

Result<Abilities> abilities(db::Transaction& tx, const auth::Principal& who, const Item& item) {
  Abilities out;
  auto edit = may_edit_text(tx, who, item);
  if (!edit) return fail(edit.error());
  out.edit = *edit;
  out.submit = item.status == Status::kDraft && *edit;
  out.curate = auth::may(who, auth::Action::kCurateKnowledge);
  return out;
}

std::vector<FieldError> validate(const Draft& d) {
  std::vector<FieldError> errors;
  std::size_t title = text::count_code_points(text::trim(d.title));
  if (title == 0) errors.push_back({"title", "タイトルを入力してください"});
  else if (title > kTitleLimit) errors.push_back({"title", fmt::format("タイトルは {} 文字以内で入力してください", kTitleLimit)});
  if (d.kind == Kind::kCase) {
    if (text::trim(d.summary).empty()) errors.push_back({"summary", "概要を入力してください"});
    if (!known(categories(), d.category)) errors.push_back({"category", "分野（ヒト・モノ・カネ）を選んでください"});
  } else {
    if (text::trim(d.body).empty()) errors.push_back({"body", "何が起きたかを入力してください"});
    if (!known(outcomes(), d.outcome)) errors.push_back({"outcome", "成功要因か失敗から学んだことかを選んでください"});
    if (text::trim(d.advice).empty()) errors.push_back({"advice", "次に活かすことを入力してください"});
  }
  if (text::count_code_points(d.summary) > kShortLimit)
    errors.push_back({"summary", fmt::format("概要は {} 文字以内で入力してください", kShortLimit)});
  if (d.body.size() > kBodyLimit) errors.push_back({"body", "本文が長すぎます（100,000 バイトまで）"});
  for (const auto* t : {&d.advice, &d.effect_industry, &d.effect_education, &d.consent_note, &d.projects, &d.subtype})
    if (text::count_code_points(*t) > kShortLimit) {
      errors.push_back({"body", fmt::format("各欄は {} 文字以内で入力してください", kShortLimit)});
      break;
    }
  if (!d.block_id.empty() && !geo::find_block(d.block_id)) errors.push_back({"block_id", "地域ブロックを選び直してください"});
  if (!d.prefecture.empty()) {
    const geo::Prefecture* p = geo::find_prefecture_by_name(d.prefecture);
    if (!p) errors.push_back({"prefecture", "都道府県名が正しくありません（例: 北海道、東京都）"});
    else if (!d.block_id.empty() && p->block_id != d.block_id)
      errors.push_back({"prefecture", "都道府県が地域ブロックに含まれていません"});
  }
  if (!all_known(school_types(), d.school_types)) errors.push_back({"school_types", "学校種を選び直してください"});
  if (!all_known(effects(), d.effects)) errors.push_back({"effects", "効果の分類を選び直してください"});
  if (d.year < 2000 || d.year > 2100) errors.push_back({"year", "年度は 2000〜2100 の数字で入力してください"});
  if (d.figures.size() > kFiguresLimit) errors.push_back({"figures", fmt::format("数値は {} 件までです", kFiguresLimit)});
  int n = 0;
  for (const Figure& f : d.figures) {
    ++n;
    if (f.label.empty() || !numeric(f.value))
      errors.push_back({"figures", fmt::format("数値 {} は項目名と数字を入力してください（例: 参加生徒数 120 人）", n)});
  }
  return errors;
}

Result<std::int64_t> create_item(db::Transaction& tx, const auth::Principal& who, const Draft& d, Instant now) {
  auto reach = operations::reach(tx, who, auth::Action::kEditKnowledge);
  if (!reach) return fail(reach.error());
  if (reach->none()) return fail(Error::denied("事例・教訓を作成する権限がありません"));
  if (auto errors = validate(d); !errors.empty()) return fail(Error::invalid(join_messages(errors)));
  Item item;
  item.kind = d.kind;
  item.status = Status::kDraft;
  item.created_by = who.user_id;
  item.created_at = iso_utc(now);
  item.source = d.source.empty() ? "kakehashi" : d.source;
  if (reach->all) {
    if (d.operator_id) {
      auto op = operations::find_operator(tx, *d.operator_id);
      if (!op) return fail(op.error());
      if (!*op) return fail(Error::invalid("実証事業者を選び直してください"));
      item.organisation_id = (*op)->organisation_id;
    }
  } else {
    item.organisation_id = reach->organisation_id;
  }
  Item& i = item;
  i.title = std::string(text::trim(d.title));
  i.summary = d.summary;
  i.body = d.body;
  i.advice = d.advice;
  i.outcome = d.outcome;
  i.block_id = d.block_id;
  i.prefecture = d.prefecture;
  i.school_types = d.school_types;
  i.category = d.category;
  i.subtype = d.subtype;
  i.effects = d.effects;
  i.effect_industry = d.effect_industry;
  i.effect_education = d.effect_education;
  i.figures = d.figures;
  i.stakeholders = d.stakeholders;
  i.operator_id = d.operator_id;
  i.projects = d.projects;
  i.consent = d.consent;
  i.consent_note = d.consent_note;
  i.year = d.year;
  if (auto saved = save(tx, item, now); !saved) return fail(saved.error());
  if (auto r = audited(tx, who, "knowledge.create", item.id, now,
                       {{"kind", to_string(item.kind)}, {"source", item.source}, {"year", item.year}});
      !r)
    return fail(r.error());
  return item.id;
}

Result<void> update_item(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const Draft& d, Instant now) {
  auto loaded = load(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  auto allowed = may_edit_text(tx, who, i);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) {
    if (i.status != Status::kDraft && i.status != Status::kReview)
      return fail(Error::conflict("承認・公開後の事例・教訓は編集できません。公開を停止してから編集してください"));
    return fail(Error::denied("この事例・教訓を編集する権限がありません"));
  }
  Draft checked = d;
  checked.kind = i.kind;
  if (auto errors = validate(checked); !errors.empty()) return fail(Error::invalid(join_messages(errors)));
  if (d.operator_id != i.operator_id && d.operator_id && auth::may(who, auth::Action::kCurateKnowledge)) {
    auto op = operations::find_operator(tx, *d.operator_id);
    if (!op) return fail(op.error());
    if (!*op) return fail(Error::invalid("実証事業者を選び直してください"));
    i.organisation_id = (*op)->organisation_id;
  }
  i.title = std::string(text::trim(d.title));
  i.summary = d.summary;
  i.body = d.body;
  i.advice = d.advice;
  i.outcome = d.outcome;
  i.block_id = d.block_id;
  i.prefecture = d.prefecture;
  i.school_types = d.school_types;
  i.category = d.category;
  i.subtype = d.subtype;
  i.effects = d.effects;
  i.effect_industry = d.effect_industry;
  i.effect_education = d.effect_education;
  i.figures = d.figures;
  i.stakeholders = d.stakeholders;
  if (auth::may(who, auth::Action::kCurateKnowledge)) i.operator_id = d.operator_id;
  i.projects = d.projects;
  i.consent = d.consent;
  i.consent_note = d.consent_note;
  i.year = d.year;
  // The text changed: the last check and any acceptance no longer hold.
  i.pii_findings.clear();
  i.pii_checked_at.reset();
  i.pii_accepted_reason.clear();
  if (auto saved = save(tx, i, now); !saved) return saved;
  return audited(tx, who, "knowledge.update", id, now, {{"status", to_string(i.status)}});
}

Result<void> submit(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now) {
  auto loaded = load(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  if (auto s = expect_status(i, Status::kDraft, "下書きの事例・教訓だけをレビューに回せます"); !s) return s;
  auto allowed = may_edit_text(tx, who, i);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("この事例・教訓をレビューに回す権限がありません"));
  i.status = Status::kReview;
  i.review_comment.clear();
  if (auto saved = save(tx, i, now); !saved) return saved;
  return audited(tx, who, "knowledge.submit", id, now);
}

Result<void> return_to_draft(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& comment,
                             Instant now) {
  auto loaded = load_curated(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  if (auto s = expect_status(i, Status::kReview, "レビュー中の事例・教訓だけを差し戻せます"); !s) return s;
  if (text::trim(comment).empty()) return fail(Error::invalid("差し戻しの理由を入力してください"));
  if (text::count_code_points(comment) > kReasonLimit) return fail(Error::invalid("差し戻しの理由が長すぎます"));
  i.status = Status::kDraft;
  i.review_comment = comment;
  if (auto saved = save(tx, i, now); !saved) return saved;
  return audited(tx, who, "knowledge.return", id, now);
}

Result<std::vector<PiiFinding>> check_personal_information(db::Transaction& tx, const auth::Principal& who,
                                                           std::int64_t id, Instant now) {
  auto loaded = load_curated(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  if (auto s = expect_status(i, Status::kReview, "個人情報の確認はレビュー中に行います"); !s) return fail(s.error());
  Result<void> error;
  std::vector<PiiFinding> findings = scan(tx, i, error);
  if (!error) return fail(error.error());
  bool changed = findings.size() != i.pii_findings.size();
  for (std::size_t k = 0; !changed && k < findings.size(); ++k)
    changed = findings[k].code != i.pii_findings[k].code || findings[k].masked != i.pii_findings[k].masked ||
              findings[k].field != i.pii_findings[k].field;
  if (changed) i.pii_accepted_reason.clear();  // an acceptance covers the findings it saw
  i.pii_findings = findings;
  i.pii_checked_at = iso_utc(now);
  if (auto saved = save(tx, i, now); !saved) return fail(saved.error());
  std::map<std::string, int> per_code;
  for (const auto& f : findings) ++per_code[f.code];
  boost::json::object counts;
  for (const auto& [code, n] : per_code) counts[code] = n;
  if (auto r = audited(tx, who, "knowledge.check", id, now, {{"findings", counts}}); !r) return fail(r.error());
  return findings;
}

Result<void> accept_findings(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& reason,
                             Instant now) {
  auto loaded = load_curated(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  if (auto s = expect_status(i, Status::kReview, "個人情報の確認はレビュー中に行います"); !s) return s;
  if (!i.pii_checked_at || std::ranges::none_of(i.pii_findings, blocking))
    return fail(Error::conflict("了承が必要な指摘はありません"));
  if (text::trim(reason).empty()) return fail(Error::invalid("公開してよい理由を入力してください"));
  if (text::count_code_points(reason) > kReasonLimit) return fail(Error::invalid("理由が長すぎます"));
  i.pii_accepted_reason = std::string(text::trim(reason));
  if (auto saved = save(tx, i, now); !saved) return saved;
  return audited(tx, who, "knowledge.accept", id, now, {{"findings", i.pii_findings.size()}});
}

Result<void> approve(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now) {
  auto findings = check_personal_information(tx, who, id, now);
  if (!findings) return fail(findings.error());
  auto loaded = load_curated(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  if (i.kind == Kind::kCase && !i.consent)
    return fail(Error::invalid("関係者の公開への同意が記録されていません。同意を確認してから承認してください"));
  std::size_t open = static_cast<std::size_t>(std::ranges::count_if(i.pii_findings, blocking));
  if (open > 0 && i.pii_accepted_reason.empty())
    return fail(Error::invalid(fmt::format(
        "個人情報の可能性がある箇所が {} 件あります。本文を修正するか、理由を記入して公開を了承してください", open)));
  i.status = Status::kApproved;
  if (auto saved = save(tx, i, now); !saved) return saved;
  return audited(tx, who, "knowledge.approve", id, now, {{"accepted_findings", open}});
}

Result<void> publish(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now) {
  auto loaded = load_curated(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  if (auto s = expect_status(i, Status::kApproved, "承認済みの事例・教訓だけを公開できます"); !s) return s;
  i.status = Status::kPublished;
  i.withdrawn_reason.clear();
  i.published_at = iso_utc(now);
  if (auto saved = save(tx, i, now); !saved) return saved;
  return audited(tx, who, "knowledge.publish", id, now);
}

Result<void> withdraw(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& reason,
                      Instant now) {
  auto loaded = load_curated(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  if (auto s = expect_status(i, Status::kPublished, "公開中の事例・教訓だけを公開停止にできます"); !s) return s;
  if (text::trim(reason).empty()) return fail(Error::invalid("公開を停止する理由を入力してください"));
  if (text::count_code_points(reason) > kReasonLimit) return fail(Error::invalid("理由が長すぎます"));
  i.status = Status::kWithdrawn;
  i.withdrawn_reason = std::string(text::trim(reason));
  if (auto saved = save(tx, i, now); !saved) return saved;
  return audited(tx, who, "knowledge.withdraw", id, now);
}

Result<void> rework(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now) {
  auto loaded = load_curated(tx, who, id);
  if (!loaded) return fail(loaded.error());
  Item& i = *loaded;
  if (i.status != Status::kWithdrawn && i.status != Status::kApproved)
    return fail(Error::conflict("公開停止中または承認済みの事例・教訓だけを下書きに戻せます"));
  i.status = Status::kDraft;
  i.pii_accepted_reason.clear();
  if (auto saved = save(tx, i, now); !saved) return saved;
  return audited(tx, who, "knowledge.rework", id, now);
}

Result<std::string> clean_photo(const std::string& bytes, std::string& content_type, std::string& removed) {
  if (bytes.size() > kPhotoLimit) return fail(Error::invalid("写真は 10 MB 以下にしてください"));
  if (bytes.size() > 3 && static_cast<unsigned char>(bytes[0]) == 0xFF && static_cast<unsigned char>(bytes[1]) == 0xD8) {
    content_type = "image/jpeg";
    inspect::PhotoMetadata before = inspect::read_photo_metadata(bytes);
    auto stripped = inspect::strip_photo_metadata(bytes);
    std::string out = stripped ? *stripped : bytes;
    inspect::PhotoMetadata after = inspect::read_photo_metadata(out);
    if (after.any()) return fail(Error::invalid("写真の付加情報（Exif など）を取り除けませんでした。別の写真を選んでください"));
    removed = before.any() || stripped ? "付加情報（Exif・XMP・IPTC・コメント）を削除しました" : "付加情報はありませんでした";
    if (before.gps) removed += "（位置情報を含む）";
    return out;
  }
  if (bytes.size() > 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) {
    content_type = "image/png";
    PngReader reader{&bytes};
    cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(read_png, &reader);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(surface);
      return fail(Error::invalid("PNG の写真を読み取れませんでした"));
    }
    std::string out;
    cairo_status_t written = cairo_surface_write_to_png_stream(surface, write_png, &out);
    cairo_surface_destroy(surface);
    if (written != CAIRO_STATUS_SUCCESS) return fail(Error::internal("PNG を書き出せませんでした"));
    removed = "画素だけを残して保存し直しました（付加情報を削除）";
    return out;
  }
  return fail(Error::invalid("写真は JPEG か PNG を選んでください"));
}

Result<std::int64_t> add_photo(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& caption,
                               const std::string& bytes, Instant now) {
  auto loaded = load(tx, who, id);
  if (!loaded) return fail(loaded.error());
  auto allowed = may_edit_text(tx, who, *loaded);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("この事例に写真を追加する権限がありません"));
  if (text::trim(caption).empty()) return fail(Error::invalid("写真の説明（代替テキスト）を入力してください"));
  if (text::count_code_points(caption) > kTitleLimit) return fail(Error::invalid("写真の説明は 200 文字以内で入力してください"));
  Photo p;
  p.item_id = id;
  p.caption = std::string(text::trim(caption));
  auto cleaned = clean_photo(bytes, p.content_type, p.removed);
  if (!cleaned) return fail(cleaned.error());
  p.sha256 = sha256_hex(*cleaned);
  p.added_at = iso_utc(now);
  auto photo_id = store::insert_photo(tx, p, *cleaned, who.user_id);
  if (!photo_id) return photo_id;
  // A new caption is new text: the last check no longer holds.
  Item& i = *loaded;
  i.pii_findings.clear();
  i.pii_checked_at.reset();
  i.pii_accepted_reason.clear();
  if (auto saved = save(tx, i, now); !saved) return fail(saved.error());
  if (auto r = audited(tx, who, "knowledge.photo_add", id, now,
                       {{"photo", *photo_id}, {"content_type", p.content_type}, {"bytes", cleaned->size()}});
      !r)
    return fail(r.error());
  return photo_id;
}

Result<void> remove_photo(db::Transaction& tx, const auth::Principal& who, std::int64_t photo_id, Instant now) {
  auto found = store::photo(tx, photo_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("写真が見つかりません"));
  std::int64_t item_id = (*found)->first.item_id;
  auto loaded = load(tx, who, item_id);
  if (!loaded) return fail(loaded.error());
  auto allowed = may_edit_text(tx, who, *loaded);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("この事例の写真を削除する権限がありません"));
  if (auto done = store::delete_photo(tx, photo_id); !done) return done;
  return audited(tx, who, "knowledge.photo_remove", item_id, now, {{"photo", photo_id}});
}

Result<std::vector<Photo>> photos(db::Transaction& tx, std::int64_t item_id) { return store::photos_of(tx, item_id); }

Result<std::optional<std::pair<Photo, std::string>>> find_photo(db::Transaction& tx, const auth::Principal* who,
                                                                std::int64_t photo_id) {
  using Out = std::optional<std::pair<Photo, std::string>>;
  auto found = store::photo(tx, photo_id);
  if (!found || !*found) return found;
  std::int64_t item_id = (*found)->first.item_id;
  auto item = who ? find_item(tx, *who, item_id) : find_published(tx, item_id);
  if (!item) return fail(item.error());
  if (!*item) return Out{};
  return found;
}

Result<std::vector<Stakeholder>> stakeholder_map(db::Transaction& tx) { return store::stakeholders(tx); }

Result<void> update_stakeholder(db::Transaction& tx, const auth::Principal& who, const std::string& code,
                                const std::string& roles, const std::string& actions, Instant now) {
  if (!auth::may(who, auth::Action::kCurateKnowledge)) return fail(Error::denied("ステークホルダーの整理を変更する権限がありません"));
  if (text::count_code_points(roles) > kShortLimit || text::count_code_points(actions) > kShortLimit)
    return fail(Error::invalid(fmt::format("役割・アクションは {} 文字以内で入力してください", kShortLimit)));
  auto updated = store::update_stakeholder(tx, code, roles, actions, now);
  if (!updated) return fail(updated.error());
  if (!*updated) return fail(Error::not_found("ステークホルダーが見つかりません"));
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), "knowledge.stakeholder",
                                              "knowledge_stakeholder:" + code),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<std::vector<Item>> published_items(db::Transaction& tx, Kind kind) { return store::published(tx, kind); }
Result<std::int64_t> count_in_review(db::Transaction& tx) { return store::count_status(tx, Status::kReview); }
Result<std::optional<std::string>> last_modified(db::Transaction& tx) { return store::last_published_at(tx); }

}  // namespace kakehashi::knowledge

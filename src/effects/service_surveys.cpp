// Pre/post surveys (issue 20): uploads through the inspector, the mapping remembered per survey,
// the pairing preview, and the run of the survey engine (src/survey) on one table built from the
// two exports — the table and configuration `kakehashi survey analyze` would take, so the stored
// result is the CLI's JSON.
#include <algorithm>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>

#include "effects/internal.h"
#include "effects/service.h"
#include "effects/store.h"
#include "inspect/upload.h"
#include "operations/access.h"
#include "operations/imports.h"
#include "operations/projects.h"
#include "operations/service.h"
#include "survey/report.h"
#include "survey/sheet_table.h"

namespace kakehashi::effects {
namespace {

using detail::trimmed;
constexpr std::string_view kWaveColumn = "回答時期";

std::string norm(std::string_view text) { return survey::normalize_answer(text); }

bool has_block(const operations::Operator& op, std::string_view block) {
  return std::ranges::any_of(op.blocks, [&](const auto& b) { return b.block_id == block; });
}

Result<std::vector<Survey>> within_reach(db::Transaction& tx, const auth::Principal& who, std::vector<Survey> surveys,
                                         const std::vector<operations::Operator>& ops) {
  auto reach = operations::reach(tx, who, auth::Action::kViewOperations);
  if (!reach) return fail(reach.error());
  std::vector<Survey> out;
  for (Survey& s : surveys) {
    for (const auto& op : ops) {
      if (op.id == s.operator_id && operations::covers_block(*reach, op, s.block_id)) {
        out.push_back(std::move(s));
        break;
      }
    }
  }
  return out;
}

// The survey with its operator when `who` may edit it (404 / 403 otherwise).
struct Editable {
  Survey survey;
  operations::Operator op;
};
Result<Editable> editable(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id) {
  auto s = find_survey(tx, who, survey_id);
  if (!s) return fail(s.error());
  if (!*s) return fail(Error::not_found("アンケートが見つかりません"));
  auto op = operations::find_operator(tx, (*s)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("アンケートが見つかりません"));
  auto may = may_edit(tx, who, **op);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このアンケートを変更する権限がありません"));
  return Editable{std::move(**s), std::move(**op)};
}

// Both files of the survey in `staged` (or used) state, read as tables.
struct Sheets {
  SheetRows pre, post;
};
Result<Sheets> load_sheets(db::Transaction& tx, std::int64_t survey_id, bool staged) {
  Sheets out;
  for (Wave wave : {Wave::kPre, Wave::kPost}) {
    auto file = store::file_content(tx, survey_id, wave, staged);
    if (!file) return fail(file.error());
    if (!*file) return fail(Error::invalid("事前と事後の回答ファイルをアップロードしてください"));
    auto sheet = read_sheet((*file)->second, (*file)->first.file_name, wave);
    if (!sheet) return fail(sheet.error());
    (wave == Wave::kPre ? out.pre : out.post) = std::move(*sheet);
  }
  return out;
}

std::optional<std::size_t> column_index(const SheetRows& sheet, std::string_view name) {
  std::string wanted = norm(name);
  for (std::size_t i = 0; i < sheet.headers.size(); ++i)
    if (norm(sheet.headers[i]) == wanted) return i;
  return std::nullopt;
}

std::string cell(const csv::Row& row, std::size_t column) {
  return column < row.fields.size() ? row.fields[column] : std::string();
}

Pairing pair_up(const Sheets& sheets, std::size_t pre_key, std::size_t post_key) {
  Pairing p;
  p.pre_rows = sheets.pre.rows.size();
  p.post_rows = sheets.post.rows.size();
  std::map<std::string, int> pre, post;
  for (const auto& r : sheets.pre.rows) {
    std::string k = norm(cell(r, pre_key));
    if (k.empty()) ++p.blank_keys;
    else ++pre[k];
  }
  for (const auto& r : sheets.post.rows) {
    std::string k = norm(cell(r, post_key));
    if (k.empty()) ++p.blank_keys;
    else ++post[k];
  }
  for (const auto& [k, n] : pre) {
    if (n > 1) p.duplicates.push_back(fmt::format("事前: {}（{} 件）", k, n));
    if (post.contains(k)) ++p.matched;
    else p.only_pre.push_back(k);
  }
  for (const auto& [k, n] : post) {
    if (n > 1) p.duplicates.push_back(fmt::format("事後: {}（{} 件）", k, n));
    if (!pre.contains(k)) p.only_post.push_back(k);
  }
  return p;
}

std::vector<FieldError> check_sheets(const Sheets& sheets, const SurveyMapping& m, Pairing* pairing) {
  std::vector<FieldError> errors;
  std::optional<std::size_t> pre_key, post_key;
  if (trimmed(m.respondent).empty()) {
    errors.push_back({"respondent", "回答者を識別する列（出席番号・メールアドレスなど）を選んでください"});
  } else {
    pre_key = column_index(sheets.pre, m.respondent);
    post_key = column_index(sheets.post, m.respondent);
    if (!pre_key)
      errors.push_back({"respondent", fmt::format("回答者を識別する列「{}」が事前の回答ファイルにありません", m.respondent)});
    if (!post_key)
      errors.push_back({"respondent", fmt::format("回答者を識別する列「{}」が事後の回答ファイルにありません", m.respondent)});
  }
  if (m.items.empty()) errors.push_back({"items", "分析する設問を 1 つ以上選んでください"});
  std::set<std::string> scale;
  for (const auto& label : m.scale) {
    std::string n = norm(label);
    if (n.empty()) continue;
    if (!scale.insert(n).second) errors.push_back({"scale", fmt::format("選択肢「{}」が重複しています", label)});
  }
  if (scale.size() == 1) errors.push_back({"scale", "選択肢は低い順に 2 つ以上入力してください"});
  int scale_problems = 0;
  for (const auto& item : m.items) {
    if (norm(item.column) == norm(m.respondent)) {
      errors.push_back({"items", fmt::format("設問「{}」は回答者を識別する列と同じです", item.column)});
      continue;
    }
    for (Wave wave : {Wave::kPre, Wave::kPost}) {
      const SheetRows& sheet = wave == Wave::kPre ? sheets.pre : sheets.post;
      auto column = column_index(sheet, item.column);
      if (!column) {
        errors.push_back({"items", fmt::format("設問「{}」が{}の回答ファイルにありません", item.column, wave_label(wave))});
        continue;
      }
      std::set<std::string> outside;
      for (const auto& r : sheet.rows) {
        std::string answer = norm(cell(r, *column));
        if (answer.empty()) continue;
        bool fits = scale.empty() ? detail::parse_number(answer).has_value() : scale.contains(answer);
        if (!fits) outside.insert(answer);
      }
      if (!outside.empty() && scale_problems < 5) {
        ++scale_problems;
        std::string listed;
        int shown = 0;
        for (const auto& a : outside) {
          if (shown++ == 3) break;
          listed += (listed.empty() ? "「" : "、「") + a + "」";
        }
        if (scale.empty())
          errors.push_back({"scale", fmt::format("設問「{}」の{}の回答 {} が数値ではありません。選択肢の文字で答える設問は、"
                                                 "選択肢を低い順に入力してください",
                                                 item.column, wave_label(wave), listed)});
        else
          errors.push_back({"scale", fmt::format("尺度がそろっていません: 設問「{}」の{}の回答 {} が選択肢にありません。"
                                                 "事前と事後で同じ選択肢を使っているか確認してください",
                                                 item.column, wave_label(wave), listed)});
      }
    }
  }
  if (pre_key && post_key) {
    Pairing p = pair_up(sheets, *pre_key, *post_key);
    if (p.matched < 2)
      errors.push_back({"respondent", fmt::format("事前と事後の両方に回答した人が 2 人未満のため分析できません（対応のとれた回答: "
                                                  "{} 組）。回答者を識別する列が正しいか確認してください",
                                                  p.matched)});
    if (pairing) *pairing = std::move(p);
  }
  return errors;
}

std::string config_json(const Survey& survey, const SurveyMapping& m, std::string_view wave_column) {
  boost::json::array items;
  for (const auto& item : m.items) {
    boost::json::object o{{"column", item.column}, {"label", item.label.empty() ? item.column : item.label}};
    if (!m.scale.empty()) {
      boost::json::object scale;
      double n = double(m.scale.size());
      for (std::size_t i = 0; i < m.scale.size(); ++i)
        scale[m.scale[i]] = item.reversed ? n - double(i) : double(i + 1);
      o["scale"] = scale;
    }
    items.push_back(o);
  }
  return survey::format_json(boost::json::object{{"title", survey.title},
                                                 {"respondent", m.respondent},
                                                 {"wave", wave_column},
                                                 {"pre", "事前"},
                                                 {"post", "事後"},
                                                 {"items", items}});
}

}  // namespace

std::vector<FieldError> validate(db::Transaction& tx, const auth::Principal& who, const SurveyDraft& d,
                                 const operations::Operator& op, Survey& out) {
  std::vector<FieldError> errors;
  out = Survey{};
  out.operator_id = op.id;
  out.title = trimmed(d.title);
  out.block_id = trimmed(d.block_id);
  if (out.title.empty()) errors.push_back({"title", "アンケートの名前を入力してください"});
  else if (out.title.size() > 300) errors.push_back({"title", "アンケートの名前は 100 文字以内にしてください"});
  if (!trimmed(d.project_id).empty()) {
    auto id = detail::parse_number(d.project_id);
    std::optional<operations::Project> project;
    if (id) {
      auto found = operations::find_project(tx, who, std::int64_t(*id));
      if (found && *found && (*found)->operator_id == op.id) project = **found;
    }
    if (!project) {
      errors.push_back({"project_id", "プロジェクトを一覧から選んでください"});
    } else {
      out.project_id = project->id;
      out.block_id = project->block_id;
    }
  }
  if (out.block_id.empty() && op.blocks.size() == 1) out.block_id = op.blocks.front().block_id;
  if (out.block_id.empty()) errors.push_back({"block_id", "ブロックを選んでください"});
  else if (!has_block(op, out.block_id)) errors.push_back({"block_id", "この実証事業者のブロックを選んでください"});
  return errors;
}

Result<std::vector<Survey>> surveys_of(db::Transaction& tx, std::int64_t operator_id) {
  return store::surveys(tx, {operator_id});
}

Result<std::vector<Survey>> visible_surveys(db::Transaction& tx, const auth::Principal& who) {
  auto ops = visible_operators(tx, who);
  if (!ops) return fail(ops.error());
  std::vector<std::int64_t> ids;
  for (const auto& op : *ops) ids.push_back(op.id);
  auto surveys = store::surveys(tx, ids);
  if (!surveys) return fail(surveys.error());
  return within_reach(tx, who, std::move(*surveys), *ops);
}

Result<std::optional<Survey>> find_survey(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  auto s = store::find_survey(tx, id);
  if (!s) return fail(s.error());
  if (!*s) return std::optional<Survey>{};
  auto op = find_operator(tx, who, (*s)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<Survey>{};
  auto kept = within_reach(tx, who, {**s}, {**op});
  if (!kept) return fail(kept.error());
  if (kept->empty()) return std::optional<Survey>{};
  return std::optional<Survey>{std::move(kept->front())};
}

Result<void> delete_survey(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id, Instant now) {
  auto e = editable(tx, who, survey_id);
  if (!e) return fail(e.error());
  auto files = store::files(tx, survey_id);
  if (!files) return fail(files.error());
  if (auto r = store::delete_survey(tx, survey_id); !r) return r;
  return detail::audited(tx, who, "effects.survey_delete", fmt::format("effect_survey:{}", survey_id),
                         {{"operator_id", e->op.id}, {"files", std::int64_t(files->size())}, {"analysed", e->survey.analysed()}},
                         now);
}

Result<std::int64_t> create_survey(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                   const SurveyDraft& draft, Instant now) {
  auto op = find_operator(tx, who, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto may = may_edit(tx, who, **op);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("この実証事業者の効果検証を変更する権限がありません"));
  Survey s;
  auto errors = validate(tx, who, draft, **op, s);
  if (!errors.empty()) return fail(Error::invalid(operations::join_messages(errors)));
  auto id = store::insert_survey(tx, s, now);
  if (!id) return fail(id.error());
  if (auto a = detail::audited(tx, who, "effects.survey_create", fmt::format("effect_survey:{}", *id),
                               {{"operator_id", operator_id}}, now);
      !a)
    return fail(a.error());
  return *id;
}

Result<InspectedUpload> inspect_upload(const std::filesystem::path& path, std::string file_name, std::string sha256) {
  std::error_code size_error;
  auto size = std::filesystem::file_size(path, size_error);
  if (size_error) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  if (size == 0) return fail(Error::invalid(fmt::format("「{}」は空のファイルです", file_name)));
  if (size > kMaxSurveyBytes)
    return fail(Error::invalid(fmt::format("回答ファイルは {} MB 以下にしてください", kMaxSurveyBytes / 1024 / 1024)));
  auto verdict = inspect::check_upload(path, inspect::UploadPurpose::kReview);
  if (!verdict) return fail(Error::internal("ファイルの検査に失敗しました"));
  if (verdict->type != inspect::FileType::kCsv && verdict->type != inspect::FileType::kXlsx)
    return fail(Error::invalid(
        fmt::format("「{}」は読み込めません。回答ファイルは CSV または Excel（.xlsx）にしてください", file_name)));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  InspectedUpload out;
  out.bytes.assign(std::istreambuf_iterator<char>(in), {});
  if (!verdict->ok) {
    // A CSV the inspector cannot read is most often in an encoding we do not know: say so.
    if (verdict->type == inspect::FileType::kCsv) {
      auto table = survey::SheetTable::from_bytes(out.bytes, 1);
      if (!table && table.error().message.find("文字コード") != std::string::npos)
        return fail(Error::invalid(fmt::format(
            "「{}」: 文字コードを判別できません。UTF-8 または Shift_JIS の CSV、または Excel（.xlsx）で保存してください", file_name)));
    }
    std::string listed;
    for (const auto& f : verdict->findings) {
      if (!f.blocks) continue;
      if (!listed.empty()) listed += "、";
      listed += f.label;
    }
    return fail(Error::invalid(fmt::format("「{}」は受け付けられません（{}）", file_name, listed.empty() ? verdict->summary : listed)));
  }
  out.file_name = std::move(file_name);
  out.sha256 = std::move(sha256);
  boost::json::array findings;
  for (const auto& f : verdict->findings)
    findings.push_back(boost::json::object{{"code", f.code}, {"label", f.label},
                                           {"severity", std::string(inspect::severity_label(f.severity))}});
  out.inspection = boost::json::serialize(boost::json::object{
      {"type", std::string(inspect::file_type_name(verdict->type))}, {"summary", verdict->summary}, {"findings", findings}});
  return out;
}

Result<SheetRows> read_sheet(std::string_view bytes, std::string_view file_name, Wave wave) {
  std::string lower(file_name);
  std::ranges::transform(lower, lower.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
  std::vector<csv::Row> rows;
  auto refuse = [&](const std::string& why) {
    return fail(Error::invalid(fmt::format("{}の回答ファイル「{}」: {}", wave_label(wave), file_name, why)));
  };
  if (bytes.empty()) return refuse("ファイルが空です");
  if (lower.ends_with(".xlsx") || bytes.starts_with("PK\x03\x04")) {
    auto read = operations::read_xlsx_rows(bytes);
    if (!read) return refuse(read.error().message);
    rows = std::move(*read);
  } else {
    auto table = survey::SheetTable::from_bytes(std::string(bytes), 1);
    if (!table) {
      if (table.error().message.find("文字コード") != std::string::npos)
        return refuse("文字コードを判別できません。UTF-8 または Shift_JIS の CSV、または Excel（.xlsx）で保存してください");
      return refuse(table.error().message);
    }
    for (std::size_t r = 0; r < table->size(); ++r) {
      csv::Row row;
      row.line = table->line(r);
      for (std::size_t c = 0; c < table->width(r); ++c) row.fields.emplace_back(table->field(r, c));
      rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) return refuse("見出し行がありません");
  SheetRows out;
  for (const std::string& h : rows.front().fields) out.headers.push_back(trimmed(h));
  while (!out.headers.empty() && out.headers.back().empty()) out.headers.pop_back();
  if (out.headers.empty()) return refuse("見出し行がありません");
  out.rows.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
  if (out.rows.empty()) return refuse("見出し行のほかに回答の行がありません");
  return out;
}

Result<void> stage_files(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id,
                         const InspectedUpload& pre, const InspectedUpload& post, Instant now) {
  auto e = editable(tx, who, survey_id);
  if (!e) return fail(e.error());
  Sheets sheets;
  auto pre_sheet = read_sheet(pre.bytes, pre.file_name, Wave::kPre);
  if (!pre_sheet) return fail(pre_sheet.error());
  auto post_sheet = read_sheet(post.bytes, post.file_name, Wave::kPost);
  if (!post_sheet) return fail(post_sheet.error());
  sheets.pre = std::move(*pre_sheet);
  sheets.post = std::move(*post_sheet);
  if (!e->survey.mapping.empty()) {
    auto errors = check_sheets(sheets, e->survey.mapping, nullptr);
    if (!errors.empty())
      return fail(Error::invalid("前回の列の対応ではこのファイルを分析できません: " + operations::join_messages(errors)));
  }
  if (auto r = store::stage_file(tx, survey_id, Wave::kPre, pre, who.user_id, now); !r) return r;
  if (auto r = store::stage_file(tx, survey_id, Wave::kPost, post, who.user_id, now); !r) return r;
  return detail::audited(tx, who, "effects.survey_upload", fmt::format("effect_survey:{}", survey_id),
                         {{"pre_rows", sheets.pre.rows.size()}, {"post_rows", sheets.post.rows.size()},
                          {"pre_sha256", pre.sha256}, {"post_sha256", post.sha256}},
                         now);
}

Result<std::vector<SurveyFile>> files_of(db::Transaction& tx, std::int64_t survey_id) { return store::files(tx, survey_id); }

Result<MappingForm> mapping_form(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id) {
  auto e = editable(tx, who, survey_id);
  if (!e) return fail(e.error());
  auto sheets = load_sheets(tx, survey_id, true);
  if (!sheets) return fail(sheets.error());
  MappingForm form;
  auto summarize = [](const SheetRows& sheet) {
    std::vector<csv::Row> rows;
    rows.push_back(csv::Row{1, sheet.headers});
    rows.insert(rows.end(), sheet.rows.begin(), sheet.rows.end());
    return survey::summarize_columns(rows, 12);
  };
  auto pre = summarize(sheets->pre);
  if (!pre) return fail(pre.error());
  auto post = summarize(sheets->post);
  if (!post) return fail(post.error());
  std::map<std::string, std::size_t> index;
  auto add = [&](const std::vector<survey::ColumnSummary>& columns, bool is_pre) {
    for (const auto& c : columns) {
      if (c.name.empty()) continue;
      auto [it, fresh] = index.try_emplace(c.name, form.columns.size());
      if (fresh) form.columns.push_back({c.name, false, false, {}, c.numeric});
      ColumnChoice& choice = form.columns[it->second];
      (is_pre ? choice.in_pre : choice.in_post) = true;
      choice.numeric = choice.numeric && c.numeric;
      for (const auto& [value, count] : c.values)
        if (std::ranges::find(choice.values, value) == choice.values.end()) choice.values.push_back(value);
    }
  };
  add(*pre, true);
  add(*post, false);
  if (!e->survey.mapping.empty()) {
    form.mapping = e->survey.mapping;
    form.remembered = true;
    return form;
  }
  // A guess: the first column whose answers are all distinct and present in both files as the
  // key; columns answered with known Likert labels as items, the labels ordered low to high.
  static const std::vector<std::string> kLikert = {"全くそう思わない", "まったくそう思わない", "そう思わない",
                                                   "あまりそう思わない", "どちらともいえない", "どちらとも言えない",
                                                   "ややそう思う",     "まあそう思う",       "そう思う",
                                                   "とてもそう思う",   "とてもそう思う"};
  auto rank = [&](const std::string& v) {
    auto it = std::ranges::find(kLikert, norm(v));
    return it == kLikert.end() ? -1 : int(it - kLikert.begin());
  };
  std::set<std::string> labels;
  for (const auto& c : form.columns) {
    if (!c.in_pre || !c.in_post) continue;
    bool likert = !c.values.empty() && std::ranges::all_of(c.values, [&](const auto& v) { return rank(v) >= 0; });
    if (likert) {
      form.mapping.items.push_back({c.name, "", false});
      labels.insert(c.values.begin(), c.values.end());
    } else if (form.mapping.respondent.empty()) {
      if (c.name.find("ID") != std::string::npos || c.name.find("番号") != std::string::npos ||
          c.name.find("メール") != std::string::npos || c.name.find("回答者") != std::string::npos)
        form.mapping.respondent = c.name;
    }
  }
  form.mapping.scale.assign(labels.begin(), labels.end());
  std::ranges::sort(form.mapping.scale, [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return form;
}

Result<std::vector<FieldError>> check(db::Transaction& tx, std::int64_t survey_id, const SurveyMapping& mapping) {
  auto sheets = load_sheets(tx, survey_id, true);
  if (!sheets) return fail(sheets.error());
  return check_sheets(*sheets, mapping, nullptr);
}

Result<void> save_mapping(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id,
                          const SurveyMapping& mapping, Instant now) {
  auto e = editable(tx, who, survey_id);
  if (!e) return fail(e.error());
  auto errors = check(tx, survey_id, mapping);
  if (!errors) return fail(errors.error());
  if (!errors->empty()) return fail(Error::invalid(operations::join_messages(*errors)));
  if (auto r = store::set_mapping(tx, survey_id, to_json(mapping), now); !r) return r;
  return detail::audited(tx, who, "effects.survey_mapping", fmt::format("effect_survey:{}", survey_id),
                         {{"items", mapping.items.size()}, {"scale", mapping.scale.size()}}, now);
}

Result<Pairing> preview(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id) {
  auto e = editable(tx, who, survey_id);
  if (!e) return fail(e.error());
  auto sheets = load_sheets(tx, survey_id, true);
  if (!sheets) return fail(sheets.error());
  Pairing p;
  auto errors = check_sheets(*sheets, e->survey.mapping, &p);
  if (!errors.empty()) return fail(Error::invalid(operations::join_messages(errors)));
  return p;
}

Result<EngineInput> engine_input(db::Transaction& tx, const Survey& survey, bool staged) {
  auto sheets = load_sheets(tx, survey.id, staged);
  if (!sheets) return fail(sheets.error());
  const SurveyMapping& m = survey.mapping;
  std::string wave_column(kWaveColumn);
  while (column_index(sheets->pre, wave_column) || column_index(sheets->post, wave_column)) wave_column += "_";
  EngineInput in;
  csv::Row header{1, {m.respondent, wave_column}};
  for (const auto& item : m.items) header.fields.push_back(item.column);
  in.rows.push_back(std::move(header));
  // Lines as in the file that puts the pre rows and then the post rows under one header line.
  std::size_t line = 1;
  for (Wave wave : {Wave::kPre, Wave::kPost}) {
    const SheetRows& sheet = wave == Wave::kPre ? sheets->pre : sheets->post;
    auto key = column_index(sheet, m.respondent);
    std::vector<std::optional<std::size_t>> columns;
    for (const auto& item : m.items) columns.push_back(column_index(sheet, item.column));
    for (const auto& r : sheet.rows) {
      csv::Row row{++line, {key ? cell(r, *key) : std::string(), std::string(wave_label(wave))}};
      for (const auto& c : columns) row.fields.push_back(c ? cell(r, *c) : std::string());
      in.rows.push_back(std::move(row));
    }
  }
  in.config_json = config_json(survey, m, wave_column);
  auto config = survey::parse_config(in.config_json);
  if (!config) return fail(config.error());
  in.config = std::move(*config);
  return in;
}

Result<void> run(db::Transaction& tx, const auth::Principal& who, std::int64_t survey_id, Instant now) {
  auto e = editable(tx, who, survey_id);
  if (!e) return fail(e.error());
  if (e->survey.mapping.empty()) return fail(Error::invalid("先に列の対応を保存してください"));
  auto errors = check(tx, survey_id, e->survey.mapping);
  if (!errors) return fail(errors.error());
  if (!errors->empty()) return fail(Error::invalid(operations::join_messages(*errors)));
  auto input = engine_input(tx, e->survey, true);
  if (!input) return fail(input.error());
  auto result = survey::analyze(input->rows, input->config, 1);
  if (!result) return fail(result.error());
  std::size_t pairs = 0;
  for (const auto& item : result->items) pairs = std::max(pairs, item.statistics.n);
  if (pairs < 2) return fail(Error::invalid("対応のとれた回答が 2 組未満のため分析できません"));
  std::string json = survey::format_json(survey::to_json(*result));
  if (auto r = store::set_result(tx, survey_id, input->config_json, json, std::int64_t(pairs), now); !r) return r;
  if (auto r = store::promote_staged(tx, survey_id); !r) return r;
  return detail::audited(tx, who, "effects.survey_run", fmt::format("effect_survey:{}", survey_id),
                         {{"items", result->items.size()}, {"pairs", pairs}}, now);
}

Result<boost::json::value> results_json(db::Transaction& tx, const auth::Principal& who, const Survey& survey) {
  if (!survey.analysed()) return fail(Error::not_found("このアンケートはまだ分析されていません"));
  boost::system::error_code error;
  boost::json::value v = boost::json::parse(survey.result, error);
  if (error || !v.is_object()) return fail(Error::internal("保存された分析結果を読み取れません"));
  auto op = operations::find_operator(tx, survey.operator_id);
  if (!op) return fail(op.error());
  bool personal = false;
  if (*op) {
    auto may = may_edit(tx, who, **op);
    if (!may) return fail(may.error());
    personal = *may;
  }
  if (!personal) {
    auto& o = v.as_object();
    if (auto* skipped = o.if_contains("skipped"); skipped && skipped->is_array())
      for (auto& s : skipped->as_array())
        if (s.is_object()) s.as_object()["reason"] = "回答票を集計から除きました（理由は事務局と実証事業者のみ表示）";
    if (auto* items = o.if_contains("items"); items && items->is_array())
      for (auto& item : items->as_array())
        if (auto* excluded = item.as_object().if_contains("excluded"); excluded && excluded->is_array())
          for (auto& x : excluded->as_array())
            if (x.is_object()) x.as_object()["value"] = nullptr;
  }
  return v;
}

Result<std::vector<std::pair<std::string, std::vector<std::string>>>> free_text(db::Transaction& tx,
                                                                                const auth::Principal& who,
                                                                                const Survey& survey) {
  auto e = editable(tx, who, survey.id);
  if (!e) return fail(e.error());
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (survey.mapping.comments.empty() || !survey.analysed()) return out;
  auto sheets = load_sheets(tx, survey.id, false);
  if (!sheets) return out;  // files of an older run are gone: nothing to show
  for (const auto& column : survey.mapping.comments) {
    std::vector<std::string> answers;
    for (Wave wave : {Wave::kPre, Wave::kPost}) {
      const SheetRows& sheet = wave == Wave::kPre ? sheets->pre : sheets->post;
      auto c = column_index(sheet, column);
      if (!c) continue;
      for (const auto& r : sheet.rows) {
        std::string a = trimmed(cell(r, *c));
        if (!a.empty()) answers.push_back(fmt::format("{}: {}", wave_label(wave), a));
      }
    }
    out.emplace_back(column, std::move(answers));
  }
  return out;
}

}  // namespace kakehashi::effects

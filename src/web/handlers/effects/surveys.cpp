// Survey screens (issue 20): a new survey, the upload of the pre and post exports (through the
// inspector), the column mapping remembered per survey, the pairing preview, the run of the
// survey engine and the results with their charts. The files, the pairing's keys and the free
// text are personal data: only those who may edit the survey's operator see them.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/date.h"
#include "base/text.h"
#include "operations/projects.h"
#include "survey/report.h"
#include "web/confirm_view.h"
#include "web/handlers/call/common.h"
#include "web/handlers/effects/common.h"

namespace kakehashi::web::effectsweb {
namespace {

namespace fx = effects;

struct LoadedSurvey {
  fx::Survey survey;
  operations::Operator op;
  bool can_edit = false;
};
Result<std::optional<LoadedSurvey>> load_survey(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<LoadedSurvey>{};
  auto s = fx::find_survey(tx, *request.principal, *id);
  if (!s) return fail(s.error());
  if (!*s) return std::optional<LoadedSurvey>{};
  auto op = fx::find_operator(tx, *request.principal, (*s)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<LoadedSurvey>{};
  auto may = fx::may_edit(tx, *request.principal, **op);
  if (!may) return fail(may.error());
  return std::optional<LoadedSurvey>(LoadedSurvey{std::move(**s), std::move(**op), *may});
}

std::string fixed(std::optional<double> v, int decimals = 2) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : std::string("—");
}

std::string size_text(std::int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} バイト", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KB", double(bytes) / 1024);
  return fmt::format("{:.1f} MB", double(bytes) / 1024 / 1024);
}

std::string when(const std::string& iso) {
  auto at = parse_iso_utc(iso);
  return at ? tokyo_datetime_japanese(*at) : iso;
}

Result<fx::SurveyReading> reading_of(db::Transaction& tx, const auth::Principal& who, const fx::Survey& s) {
  auto json = fx::results_json(tx, who, s);
  if (!json) return fail(json.error());
  return fx::read_result(*json);
}

Response survey_page_with(Application& app, Request& request, db::Transaction& tx, const LoadedSurvey& l,
                          const std::optional<std::string>& upload_error, http::status status) {
  const fx::Survey& s = l.survey;
  SurveyView v;
  v.title = s.title;
  v.operator_name = l.op.name;
  v.operator_href = operator_href(l.op.id);
  v.block = block_name(s.block_id);
  v.status = s.analysed() ? fmt::format("分析済み（{} 組）", s.pairs) : "未分析";
  v.can_edit = l.can_edit;
  v.upload_action = survey_href(s.id) + "/upload";
  v.mapping_href = survey_href(s.id) + "/mapping";
  v.preview_href = survey_href(s.id) + "/preview";
  v.delete_href = survey_href(s.id) + "/delete";
  v.max_size = fmt::format("{} MB", fx::kMaxSurveyBytes / 1024 / 1024);
  v.upload_error = upload_error;
  v.has_mapping = !s.mapping.empty();
  if (l.can_edit) {
    auto files = fx::files_of(tx, s.id);
    if (!files) return app.error_response(request, files.error());
    for (const auto& f : *files) {
      std::string inspection;
      boost::system::error_code ec;
      auto j = boost::json::parse(f.inspection, ec);
      if (!ec && j.is_object())
        if (const auto* summary = j.as_object().if_contains("summary"); summary && summary->is_string())
          inspection = std::string(summary->as_string());
      v.files.push_back({std::string(fx::wave_label(f.wave)), f.file_name, size_text(f.size), when(f.uploaded_at),
                         f.staged ? "分析待ち" : "分析に使用", inspection});
      v.has_staged = v.has_staged || f.staged;
    }
    v.has_files = !v.files.empty();
  }
  if (s.analysed()) {
    auto reading = reading_of(tx, *request.principal, s);
    if (!reading) return app.error_response(request, reading.error());
    ResultsView r;
    r.analysed_at = s.analysed_at ? when(*s.analysed_at) : "";
    r.respondents = std::to_string(reading->respondents);
    r.pairs = std::to_string(s.pairs);
    if (reading->skipped > 0) r.skipped = std::to_string(reading->skipped);
    r.care = reading->care;
    r.api_href = fmt::format("/api/v1/surveys/{}/results", s.id);
    for (const auto& i : reading->items) {
      ItemRow row;
      row.label = i.label.empty() ? i.column : i.label;
      row.n = std::to_string(i.n);
      row.mean_pre = fixed(i.mean_pre);
      row.mean_post = fixed(i.mean_post);
      row.diff = i.mean_diff ? fmt::format("{:+.2f}", *i.mean_diff) : "—";
      row.ci = i.ci_low && i.ci_high ? fmt::format("{:.2f} 〜 {:.2f}", *i.ci_low, *i.ci_high) : "—";
      row.t = fixed(i.t, 3);
      row.df = i.df ? fmt::format("{:g}", *i.df) : "—";
      row.p = i.p ? survey::format_p(*i.p) : "—";
      row.v = i.v ? fmt::format("{:g}", *i.v) : "—";
      row.p_wilcoxon = i.p_wilcoxon ? survey::format_p(*i.p_wilcoxon) : "—";
      row.dz = fixed(i.dz);
      row.effect = i.effect_label.empty() ? "—" : i.effect_label;
      row.p_holm = i.p_holm ? survey::format_p(*i.p_holm) : "—";
      row.sentence = i.sentence;
      row.improved = i.p_holm && *i.p_holm < 0.05 && i.mean_diff.value_or(0) > 0;
      r.items.push_back(std::move(row));
    }
    std::string base = survey_href(s.id) + "/charts/";
    r.figures.push_back(figure_view(fx::survey_means_figure(*reading), base + "means"));
    r.figures.push_back(figure_view(fx::survey_change_figure(*reading), base + "change"));
    v.results = std::move(r);
    if (l.can_edit) {
      auto text = fx::free_text(tx, *request.principal, s);
      if (!text) return app.error_response(request, text.error());
      for (auto& [column, answers] : *text) v.free_text.push_back({column, answers});
      v.has_free_text = !v.free_text.empty();
    }
  }
  return app.page(request, s.title, "effects/survey", v, crumbs(l.op.name, l.op.id, s.title), "/effects", status);
}

// The survey `who` may change: not found (404) out of reach, denied (403) when only visible.
Result<LoadedSurvey> editable_survey(db::Transaction& tx, const Request& request) {
  auto l = load_survey(tx, request);
  if (!l) return fail(l.error());
  if (!*l) return fail(Error::not_found("アンケートが見つかりません"));
  if (!(*l)->can_edit) return fail(Error::denied("このアンケートを変更する権限がありません"));
  return std::move(**l);
}

Response confirm_delete_survey(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = editable_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  const fx::Survey& s = l->survey;
  auto files = fx::files_of(**tx, s.id);
  if (!files) return app.error_response(request, files.error());
  ConfirmView confirm;
  confirm.heading = fmt::format("アンケート「{}」を削除しますか", s.title);
  confirm.lead = "削除すると元に戻せません。";
  confirm.consequences.push_back(files->empty() ? std::string("アップロードした回答ファイルはありません。")
                                                : fmt::format("アップロードした回答ファイル {} 件（回答者の個人情報を含む）を削除します。", files->size()));
  if (s.analysed()) confirm.consequences.push_back(fmt::format("分析結果（{} 組）も削除し、効果検証の集計と報告書から除かれます。", s.pairs));
  confirm.action = survey_href(s.id) + "/delete";
  confirm.confirm_label = "削除する";
  confirm.back_href = survey_href(s.id);
  return app.page(request, "アンケートの削除", "shared/confirm", confirm, crumbs(l->op.name, l->op.id, "アンケートの削除"),
                  "/effects");
}

Response delete_survey(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = editable_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (auto r = fx::delete_survey(**tx, *request.principal, l->survey.id, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, operator_href(l->op.id), fmt::format("アンケート「{}」を削除しました。", l->survey.title));
}

Response survey_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  return survey_page_with(app, request, **tx, **l, std::nullopt, http::status::ok);
}

// The form of a new survey.
SurveyFormView survey_form(db::Transaction& tx, const auth::Principal& who, const operations::Operator& op,
                           const fx::SurveyDraft& d, const std::vector<fx::FieldError>& errors) {
  SurveyFormView v;
  v.operator_name = op.name;
  v.action = operator_href(op.id) + "/surveys";
  v.cancel_href = operator_href(op.id);
  v.title = d.title;
  for (const auto& b : op.blocks) v.blocks.push_back({b.block_id, block_name(b.block_id), b.block_id == d.block_id});
  operations::ProjectFilter filter;
  filter.operator_id = op.id;
  if (auto page = operations::list_projects(tx, who, filter, 1, 200))
    for (const auto& p : page->items)
      v.projects.push_back({std::to_string(p.id), fmt::format("{}（{}）", p.title, block_name(p.block_id)),
                            std::to_string(p.id) == d.project_id});
  v.errors = opsweb::form_errors(errors);
  v.has_errors = !errors.empty();
  v.title_error = opsweb::error_of(errors, "title");
  v.block_id_error = opsweb::error_of(errors, "block_id");
  v.project_id_error = opsweb::error_of(errors, "project_id");
  return v;
}

Response new_survey(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto editable = fx::may_edit(**tx, *request.principal, **op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者の効果検証を変更する権限がありません");
  return app.page(request, "アンケートを登録", "effects/survey_form", survey_form(**tx, *request.principal, **op, {}, {}),
                  crumbs((*op)->name, (*op)->id, "アンケートを登録"), "/effects");
}

Response create_survey(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  const auth::Principal& who = *request.principal;
  auto editable = fx::may_edit(**tx, who, **op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者の効果検証を変更する権限がありません");
  fx::SurveyDraft d{request.field("project_id"), request.field("block_id"), request.field("title")};
  fx::Survey parsed;
  auto errors = fx::validate(**tx, who, d, **op, parsed);
  if (!errors.empty())
    return app.page(request, "アンケートを登録", "effects/survey_form", survey_form(**tx, who, **op, d, errors),
                    crumbs((*op)->name, (*op)->id, "アンケートを登録"), "/effects", http::status::unprocessable_entity);
  auto id = fx::create_survey(**tx, who, (*op)->id, d, app.clock().now());
  if (!id) return app.error_response(request, id.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, survey_href(*id), "アンケートを登録しました。事前と事後の回答ファイルをアップロードしてください。");
}

// Survey answers come as CSV or Excel.
constexpr std::string_view kAnswerExtensions[] = {".csv", ".xlsx"};

Response upload(Application& app, Request& request) {
  UploadedFiles uploads(request);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  if (!(*l)->can_edit) return app.error(request, http::status::forbidden, "このアンケートを変更する権限がありません");
  auto refuse = [&](const std::string& message) {
    tx->reset();
    auto fresh = app.database().begin(db::TxMode::kRead);
    if (!fresh) return app.error_response(request, fresh.error());
    return survey_page_with(app, request, **fresh, **l, message, http::status::unprocessable_entity);
  };
  const QuarantinedFile* pre = uploads.file("pre");
  const QuarantinedFile* post = uploads.file("post");
  if (!pre || !post) return refuse("事前と事後の回答ファイルを両方選んでください");
  std::optional<fx::InspectedUpload> inspected[2];
  {
    auto slot = app.admit(request, WorkKind::kInspection);
    if (!slot) return app.busy(request, WorkKind::kInspection);
    const QuarantinedFile* files[2] = {pre, post};
    for (int i = 0; i < 2; ++i) {
      auto path = uploads.with_extension(*files[i], kAnswerExtensions);
      if (!path)
        return refuse(fmt::format("「{}」は読み込めません。回答ファイルは CSV または Excel（.xlsx）にしてください",
                                  files[i]->original_name));
      auto checked = fx::inspect_upload(*path, files[i]->original_name, files[i]->sha256);
      if (!checked) {
        if (callweb::is_refusal(checked.error())) return refuse(checked.error().message);
        return app.error_response(request, checked.error());
      }
      inspected[i] = std::move(*checked);
    }
  }
  auto staged = fx::stage_files(**tx, *request.principal, (*l)->survey.id, *inspected[0], *inspected[1], app.clock().now());
  if (!staged) {
    if (callweb::is_refusal(staged.error())) {
      return refuse(staged.error().message);
    }
    return app.error_response(request, staged.error());
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  if ((*l)->survey.mapping.empty())
    return app.redirect_with_notice(request, survey_href((*l)->survey.id) + "/mapping",
                                    "回答ファイルを受け付けました。列の対応を指定してください。");
  return app.redirect_with_notice(request, survey_href((*l)->survey.id) + "/preview",
                                  "回答ファイルを受け付けました。前回の列の対応で回答を突き合わせました。");
}

MappingView mapping_view(const LoadedSurvey& l, const fx::MappingForm& form, const fx::SurveyMapping& m, bool remembered,
                         const std::vector<fx::FieldError>& errors) {
  MappingView v;
  v.title = l.survey.title;
  v.action = survey_href(l.survey.id) + "/mapping";
  v.survey_href = survey_href(l.survey.id);
  v.remembered = remembered;
  for (const auto& label : m.scale) v.scale += label + "\n";
  for (std::size_t i = 0; i < form.columns.size(); ++i) {
    const auto& c = form.columns[i];
    v.respondents.push_back({c.name, c.name, c.name == m.respondent});
    MappingColumn col;
    col.index = std::to_string(i);
    col.name = c.name;
    col.in_both = c.in_pre && c.in_post;
    if (!c.in_pre) col.missing = "事前のファイルにありません";
    if (!c.in_post) col.missing = "事後のファイルにありません";
    for (std::size_t k = 0; k < c.values.size() && k < 6; ++k) col.values += (k ? "、" : "") + c.values[k];
    if (c.values.size() > 6) col.values += " …";
    for (const auto& item : m.items)
      if (item.column == c.name) {
        col.item = true;
        col.label = item.label;
        col.reversed = item.reversed;
      }
    col.comment = std::ranges::find(m.comments, c.name) != m.comments.end();
    v.columns.push_back(std::move(col));
  }
  v.errors = opsweb::form_errors(errors);
  v.has_errors = !errors.empty();
  v.respondent_error = opsweb::error_of(errors, "respondent");
  v.items_error = opsweb::error_of(errors, "items");
  v.scale_error = opsweb::error_of(errors, "scale");
  return v;
}

Response mapping_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  auto form = fx::mapping_form(**tx, *request.principal, (*l)->survey.id);
  if (!form) return app.error_response(request, form.error());
  return app.page(request, "列の対応", "effects/mapping", mapping_view(**l, *form, form->mapping, form->remembered, {}),
                  crumbs((*l)->op.name, (*l)->op.id, "列の対応"), "/effects");
}

Response save_mapping(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  auto form = fx::mapping_form(**tx, *request.principal, (*l)->survey.id);
  if (!form) return app.error_response(request, form.error());
  fx::SurveyMapping m;
  m.respondent = request.field("respondent");
  for (std::size_t i = 0; i < form->columns.size(); ++i) {
    const std::string& name = form->columns[i].name;
    if (!request.field(fmt::format("item_{}", i)).empty())
      m.items.push_back({name, std::string(text::trim(request.field(fmt::format("label_{}", i)))),
                         !request.field(fmt::format("reversed_{}", i)).empty()});
    if (!request.field(fmt::format("comment_{}", i)).empty()) m.comments.push_back(name);
  }
  std::string scale = request.field("scale");
  std::size_t start = 0;
  while (start <= scale.size()) {
    std::size_t end = scale.find('\n', start);
    if (end == std::string::npos) end = scale.size();
    std::string label(text::trim(std::string_view(scale).substr(start, end - start)));
    if (!label.empty()) m.scale.push_back(label);
    start = end + 1;
  }
  auto errors = fx::check(**tx, (*l)->survey.id, m);
  if (!errors) return app.error_response(request, errors.error());
  if (!errors->empty())
    return app.page(request, "列の対応", "effects/mapping", mapping_view(**l, *form, m, false, *errors),
                    crumbs((*l)->op.name, (*l)->op.id, "列の対応"), "/effects", http::status::unprocessable_entity);
  if (auto r = fx::save_mapping(**tx, *request.principal, (*l)->survey.id, m, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, survey_href((*l)->survey.id) + "/preview",
                                  "列の対応を保存しました。次回のアップロードでも使います。");
}

Response preview_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  auto p = fx::preview(**tx, *request.principal, (*l)->survey.id);
  if (!p) return app.error_response(request, p.error());
  PreviewView v;
  v.title = (*l)->survey.title;
  v.survey_href = survey_href((*l)->survey.id);
  v.mapping_href = v.survey_href + "/mapping";
  v.run_action = v.survey_href + "/run";
  v.pre_rows = std::int64_t(p->pre_rows);
  v.post_rows = std::int64_t(p->post_rows);
  v.matched = std::int64_t(p->matched);
  v.blank_keys = std::int64_t(p->blank_keys);
  v.items = std::int64_t((*l)->survey.mapping.items.size());
  v.only_pre = p->only_pre;
  v.only_post = p->only_post;
  v.duplicates = p->duplicates;
  v.has_only_pre = !v.only_pre.empty();
  v.has_only_post = !v.only_post.empty();
  v.has_duplicates = !v.duplicates.empty();
  return app.page(request, "回答の突き合わせ", "effects/preview", v, crumbs((*l)->op.name, (*l)->op.id, "回答の突き合わせ"),
                  "/effects");
}

Response run(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  auto slot = app.admit(request, WorkKind::kInspection);
  if (!slot) return app.busy(request, WorkKind::kInspection);
  auto done = fx::run(**tx, *request.principal, (*l)->survey.id, app.clock().now());
  if (!done) {
    if (callweb::is_refusal(done.error())) {
      tx->reset();
      auto fresh = app.database().begin(db::TxMode::kRead);
      if (!fresh) return app.error_response(request, fresh.error());
      return survey_page_with(app, request, **fresh, **l, done.error().message, http::status::unprocessable_entity);
    }
    return app.error_response(request, done.error());
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, survey_href((*l)->survey.id), "分析しました。結果とグラフを確認してください。");
}

Response survey_chart(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_survey(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l || !(*l)->survey.analysed()) return app.error(request, http::status::not_found);
  auto reading = reading_of(**tx, *request.principal, (*l)->survey);
  if (!reading) return app.error_response(request, reading.error());
  const std::string& chart = request.params["chart"];
  if (chart == "means") return figure_download(app, request, fx::survey_means_figure(*reading));
  if (chart == "change") return figure_download(app, request, fx::survey_change_figure(*reading));
  return app.error(request, http::status::not_found);
}

}  // namespace

void register_survey_routes(Application& app) {
  using auth::Action;
  app.get("/effects/operators/{id}/surveys/new", {.required = Action::kEditOperatorPlan}, new_survey);
  app.post("/effects/operators/{id}/surveys", {.required = Action::kEditOperatorPlan, .body = BodyKind::kForm}, create_survey);
  app.get("/effects/surveys/{id}", {.required = Action::kViewOperations, .protected_info = true}, survey_page);
  app.post("/effects/surveys/{id}/upload", {.required = Action::kEditOperatorPlan, .body = BodyKind::kMultipart, .protected_info = true}, upload);
  app.get("/effects/surveys/{id}/mapping", {.required = Action::kEditOperatorPlan, .protected_info = true}, mapping_page);
  app.post("/effects/surveys/{id}/mapping", {.required = Action::kEditOperatorPlan, .body = BodyKind::kForm, .protected_info = true}, save_mapping);
  app.get("/effects/surveys/{id}/preview", {.required = Action::kEditOperatorPlan, .protected_info = true}, preview_page);
  app.get("/effects/surveys/{id}/delete", {.required = Action::kEditOperatorPlan}, confirm_delete_survey);
  app.post("/effects/surveys/{id}/delete", {.required = Action::kEditOperatorPlan, .body = BodyKind::kForm}, delete_survey);
  app.post("/effects/surveys/{id}/run", {.required = Action::kEditOperatorPlan, .body = BodyKind::kForm}, run);
  app.get("/effects/surveys/{id}/charts/{chart}/{format}", {.required = Action::kViewOperations}, survey_chart);
}

}  // namespace kakehashi::web::effectsweb

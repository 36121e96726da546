// Typed views of the report package screens (issue 25): templates/package/*.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::packageweb {

struct ChapterRow {
  std::string href;
  std::string title;
  std::string kind;
  std::string status;
  std::string version;
  std::string approved;  // 「第2版」, 「なし（報告書に入りません）」, or 「—」
  bool form1 = false;
  void fields(auto& f) const {
    f("href", href);
    f("title", title);
    f("kind", kind);
    f("status", status);
    f("version", version);
    f("approved", approved);
    f("form1", form1);
  }
};

struct BuildRow {
  std::string href;
  std::string number;
  std::string status;
  std::string started;
  std::string progress;
  void fields(auto& f) const {
    f("href", href);
    f("number", number);
    f("status", status);
    f("started", started);
    f("progress", progress);
  }
};

struct ExceptionRow {
  std::int64_t id = 0;
  std::string key;
  std::string reason;
  void fields(auto& f) const {
    f("id", id);
    f("key", key);
    f("reason", reason);
  }
};

struct OverviewView {
  std::vector<ChapterRow> chapters;
  std::vector<BuildRow> builds;
  std::vector<ExceptionRow> exceptions;
  bool can_manage = false;
  bool running = false;
  std::optional<std::string> error;
  std::vector<std::string> unapproved;  // chapters the build leaves out (no approved version)
  bool has_unapproved = false;
  void fields(auto& f) const {
    f("unapproved", unapproved);
    f("has_unapproved", has_unapproved);
    f("chapters", chapters);
    f("builds", builds);
    f("exceptions", exceptions);
    f("can_manage", can_manage);
    f("running", running);
    f("error", error);
  }
};

struct VersionRow {
  std::string version;
  std::string saved_at;
  void fields(auto& f) const {
    f("version", version);
    f("saved_at", saved_at);
  }
};

struct StatusOption {
  std::string value;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("value", value);
    f("label", label);
    f("selected", selected);
  }
};

struct ChapterView {
  std::int64_t id = 0;
  std::string title;
  std::string markdown;
  std::string kind;
  std::string status;
  bool written = false;
  bool can_manage = false;
  bool can_move = false;
  std::string position;
  Html preview;
  std::vector<std::string> errors;
  bool has_errors = false;
  std::vector<VersionRow> versions;
  std::vector<StatusOption> statuses;
  bool can_delete = false;
  std::optional<std::string> approved;  // which version the report uses
  void fields(auto& f) const {
    f("can_delete", can_delete);
    f("approved", approved);
    f("id", id);
    f("title", title);
    f("markdown", markdown);
    f("kind", kind);
    f("status", status);
    f("written", written);
    f("can_manage", can_manage);
    f("can_move", can_move);
    f("position", position);
    f("preview", preview);
    f("errors", errors);
    f("has_errors", has_errors);
    f("versions", versions);
    f("statuses", statuses);
  }
};

struct BuildView {
  std::int64_t id = 0;
  std::string status;
  std::string started;
  std::optional<std::string> finished;
  std::string progress;
  std::optional<std::string> message;
  bool running = false;
  bool built = false;
  bool can_deliver = false;
  std::string counts;
  void fields(auto& f) const {
    f("id", id);
    f("status", status);
    f("started", started);
    f("finished", finished);
    f("progress", progress);
    f("message", message);
    f("running", running);
    f("built", built);
    f("can_deliver", can_deliver);
    f("counts", counts);
  }
};

// ---- Operators' final reports (成果報告書)
struct FinalReportRow {
  std::string href;
  std::string operator_name;
  std::string blocks;
  std::string status;
  std::string status_class;  // badge modifier
  std::string version;
  std::string submitted;
  std::string consent;
  void fields(auto& f) const {
    f("href", href);
    f("operator_name", operator_name);
    f("blocks", blocks);
    f("status", status);
    f("status_class", status_class);
    f("version", version);
    f("submitted", submitted);
    f("consent", consent);
  }
};

struct FinalReportsView {
  std::string due;      // 「2027年2月26日（金）」
  std::string due_iso;  // the date input's value
  bool due_default = true;
  bool can_review = false;
  std::string counts;  // 「受理 3・確認待ち 2・差し戻し 1・未提出 4」
  std::vector<FinalReportRow> rows;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("due", due);
    f("due_iso", due_iso);
    f("due_default", due_default);
    f("can_review", can_review);
    f("counts", counts);
    f("rows", rows);
    f("error", error);
  }
};

struct FinalReportFileRow {
  std::string href;
  std::string label;  // 「第2版」
  std::string file_name;
  std::string uploaded;
  std::string size;
  std::optional<std::string> check;  // the inspector's verdict on publication
  void fields(auto& f) const {
    f("href", href);
    f("label", label);
    f("file_name", file_name);
    f("uploaded", uploaded);
    f("size", size);
    f("check", check);
  }
};

struct FinalReportView {
  std::int64_t operator_id = 0;
  std::string operator_name;
  std::string blocks;
  std::string status;
  std::string status_class;
  std::string due;
  std::optional<std::string> summary;  // the submitted summary
  std::string consent;                 // 「同意あり（…）」/「同意なし」
  bool consented = false;
  bool submitted_once = false;
  std::optional<std::string> review_comment;
  std::string comment_heading;  // 「事務局からのコメント」, or 「前回の確認でのコメント」 once a new version is in
  std::optional<std::string> reviewed;
  std::vector<FinalReportFileRow> files;
  bool can_submit = false;  // the upload form (not once accepted)
  bool can_consent = false;
  bool can_review = false;  // awaiting review and `who` reviews
  bool accepted = false;
  std::string summary_max;
  // The upload form as typed (kept on errors).
  std::string typed_summary;
  bool typed_consent = false;
  std::vector<std::string> errors;
  bool has_errors = false;
  std::string typed_comment;
  std::optional<std::string> review_error;
  void fields(auto& f) const {
    f("operator_id", operator_id);
    f("operator_name", operator_name);
    f("blocks", blocks);
    f("status", status);
    f("status_class", status_class);
    f("due", due);
    f("summary", summary);
    f("consent", consent);
    f("consented", consented);
    f("submitted_once", submitted_once);
    f("review_comment", review_comment);
    f("comment_heading", comment_heading);
    f("reviewed", reviewed);
    f("files", files);
    f("can_submit", can_submit);
    f("can_consent", can_consent);
    f("can_review", can_review);
    f("accepted", accepted);
    f("summary_max", summary_max);
    f("typed_summary", typed_summary);
    f("typed_consent", typed_consent);
    f("errors", errors);
    f("has_errors", has_errors);
    f("typed_comment", typed_comment);
    f("review_error", review_error);
  }
};

}  // namespace kakehashi::web::packageweb

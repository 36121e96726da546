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
  bool form1 = false;
  void fields(auto& f) const {
    f("href", href);
    f("title", title);
    f("kind", kind);
    f("status", status);
    f("version", version);
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
  void fields(auto& f) const {
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
  void fields(auto& f) const {
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

}  // namespace kakehashi::web::packageweb

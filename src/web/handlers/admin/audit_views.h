// Typed view of the audit log screen (templates/admin/audit.mustache).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"

namespace kakehashi::web::auditweb {

// One entry of a filter's list (<option>).
struct Choice {
  std::string value;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("value", value);
    f("label", label);
    f("selected", selected);
  }
};

// The filter form, as the person typed it (kept when it is refused).
struct AuditFilterForm {
  std::vector<Choice> actors;
  std::vector<Choice> actions;
  std::vector<Choice> kinds;
  std::string number;
  std::string from;
  std::string to;
  void fields(auto& f) const {
    f("actors", actors);
    f("actions", actions);
    f("kinds", kinds);
    f("number", number);
    f("from", from);
    f("to", to);
  }
};

struct AuditRow {
  std::int64_t id = 0;
  std::string at;            // Japan time
  std::string actor;         // a name, "システム" or "未ログインの利用者"
  std::string actor_id;      // as stored: "user:4"
  std::string action;        // the readable label
  std::string action_id;     // as stored: "auth.login"
  std::string object;        // "公募 #3", a user's name …
  std::string object_id;     // as stored: "call:3"
  std::string hash;          // the first 12 hex digits
  void fields(auto& f) const {
    f("id", id);
    f("at", at);
    f("actor", actor);
    f("actor_id", actor_id);
    f("action", action);
    f("action_id", action_id);
    f("object", object);
    f("object_id", object_id);
    f("hash", hash);
  }
};

// The result of the chain and checkpoint check the security officer ran.
struct VerifyResult {
  std::string kind;  // success or error
  std::string message;
  std::vector<std::string> problems;
  void fields(auto& f) const {
    f("kind", kind);
    f("message", message);
    f("problems", problems);
  }
};

// The signed checkpoints outside the database (security officer only).
struct AnchorPanel {
  std::int64_t checkpoints = 0;
  std::optional<std::string> newest;       // "監査ログ #120（2026-12-03 14:00 作成）"
  std::optional<std::string> fingerprint;  // of the public key
  void fields(auto& f) const {
    f("checkpoints", checkpoints);
    f("newest", newest);
    f("fingerprint", fingerprint);
  }
};

struct AuditView {
  std::int64_t total = 0;
  bool filtered = false;
  std::string page_label;
  std::string export_href;
  AuditFilterForm filter;
  std::optional<std::string> error;
  bool can_verify = false;
  std::optional<VerifyResult> verify_result;
  std::optional<AnchorPanel> anchors;
  bool has_entries = false;
  std::vector<AuditRow> entries;
  std::optional<Pagination> pages;
  void fields(auto& f) const {
    f("total", total);
    f("filtered", filtered);
    f("page_label", page_label);
    f("export_href", export_href);
    f("filter", filter);
    f("error", error);
    f("can_verify", can_verify);
    f("verify_result", verify_result);
    f("anchors", anchors);
    f("has_entries", has_entries);
    f("entries", entries);
    f("pages", pages);
  }
};

}  // namespace kakehashi::web::auditweb

// The typed views of the site layout (templates/layout/page.mustache) and of the error page,
// which Application renders for every module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/view_model.h"

namespace kakehashi::web {

// A notice at the top of a page ("保存しました"): kind is success, error or info.
struct Notice {
  std::string kind;
  std::string message;
  void fields(auto& f) const {
    f("kind", kind);
    f("message", message);
  }
};

// Previous and next page links of a list (templates/layout/pagination.mustache, which reads the
// field "pages": declare `std::optional<Pagination> pages;` and fill it with pagination()).
struct Pagination {
  std::string label;  // "2 / 5 ページ"
  std::optional<std::string> prev;
  std::optional<std::string> next;
  void fields(auto& f) const {
    f("label", label);
    f("prev", prev);
    f("next", next);
  }
};

// One option of a group of check boxes (roles of a user, topics of an application …).
struct CheckOption {
  std::string id;
  std::string label;
  bool checked = false;
  void fields(auto& f) const {
    f("id", id);
    f("label", label);
    f("checked", checked);
  }
};

struct NavEntry {
  std::string label;
  std::string href;
  bool current = false;
  void fields(auto& f) const {
    f("label", label);
    f("href", href);
    f("current", current);
  }
};

struct Crumb {
  std::string label;
  std::optional<std::string> href;  // none for the current page
  void fields(auto& f) const {
    f("label", label);
    f("href", href);
  }
};

struct UserBadge {
  std::string name;
  std::string roles;
  std::string csrf_token;
  void fields(auto& f) const {
    f("name", name);
    f("roles", roles);
    f("csrf_token", csrf_token);
  }
};

struct LayoutView {
  std::string title;
  std::string programme_name;
  std::string asset_version;
  std::string version;
  std::optional<std::string> csrf_token;
  std::optional<UserBadge> user;
  bool has_nav = false;
  std::vector<NavEntry> nav;
  bool has_breadcrumbs = false;
  std::vector<Crumb> breadcrumbs;
  std::optional<Notice> flash;
  Html content;
  void fields(auto& f) const {
    f("title", title);
    f("programme_name", programme_name);
    f("asset_version", asset_version);
    f("version", version);
    f("csrf_token", csrf_token);
    f("user", user);
    f("has_nav", has_nav);
    f("nav", nav);
    f("has_breadcrumbs", has_breadcrumbs);
    f("breadcrumbs", breadcrumbs);
    f("flash", flash);
    f("content", content);
  }
};

struct ErrorView {
  std::string status;
  std::string heading;
  std::string message;
  void fields(auto& f) const {
    f("status", status);
    f("heading", heading);
    f("message", message);
  }
};

}  // namespace kakehashi::web

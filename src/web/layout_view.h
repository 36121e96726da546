// The typed views of the site layout (templates/layout/page.mustache) and of the error page,
// which Application renders for every module.
#pragma once

#include <optional>
#include <string>
#include <string_view>
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
  std::vector<NavEntry> links;  // the person's own pages (notifications, API tokens) beside the name
  void fields(auto& f) const {
    f("name", name);
    f("roles", roles);
    f("csrf_token", csrf_token);
    f("links", links);
  }
};

// A section of the main menu: a link to its first page the person may open; the section of the
// current page also lists its pages in a second row (the sub-menu).
struct NavGroup {
  std::string label;
  std::string href;
  bool current = false;       // the current page is in this section
  bool current_page = false;  // ... and is the section's own link (a one-page section)
  void fields(auto& f) const {
    f("label", label);
    f("href", href);
    f("current", current);
    f("current_page", current_page);
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
  std::vector<NavGroup> nav;
  std::optional<std::string> subnav_label;  // the current section's name, when it has several pages
  std::vector<NavEntry> subnav;
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
    f("subnav_label", subnav_label);
    f("subnav", subnav);
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
  // The page the refused form was on (a 413: back to the form, whose draft autosave kept).
  std::optional<std::string> back = std::nullopt;
  void fields(auto& f) const {
    f("status", status);
    f("heading", heading);
    f("message", message);
    f("back", back);
  }
};

// The error pattern of every form (docs/ui-patterns.md; the Digital Agency design system's):
// all problems of one submission at once, a summary at the top linking to each field
// (templates/layout/form_errors.mustache, reading "error_summary"), and the message beside
// the field with aria-invalid and aria-describedby (templates/layout/field_error.mustache):
//
//   <input id="title" …{{#e_title}} aria-invalid="true" aria-describedby="{{error_id}}"{{/e_title}}>
//   {{#e_title}}{{> field_error}}{{/e_title}}
//
// A view declares `std::optional<ErrorSummary> error_summary;` and one
// `std::optional<FieldError>` per field ("e_<input id>"), filled from a FormProblems.

// One line of the summary: the message, linking to the field (#id) when it concerns one.
struct ErrorLine {
  std::optional<std::string> href;  // "#contact_email"; none for the form as a whole
  std::string message;
  void fields(auto& f) const {
    f("href", href);
    f("message", message);
  }
};

struct ErrorSummary {
  std::string title;  // 「入力内容を確認してください。」
  std::vector<ErrorLine> lines;
  void fields(auto& f) const {
    f("summary_title", title);
    f("lines", lines);
  }
};

// The message(s) beside one field; error_id is what aria-describedby names ("title-error").
struct FieldError {
  std::string error_id;
  std::string message;
  void fields(auto& f) const {
    f("error_id", error_id);
    f("message", message);
  }
};

// The problems of one submitted form, each tied to the id of the input it concerns ("" for
// the form as a whole), in the order they were found.
class FormProblems {
 public:
  struct Problem {
    std::string field;
    std::string message;
  };
  void add(std::string field, std::string message) { problems_.push_back({std::move(field), std::move(message)}); }
  bool empty() const { return problems_.empty(); }
  const std::vector<Problem>& problems() const { return problems_; }
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& p : problems_) out.push_back(p.message);
    return out;
  }
  // The summary (none when there is no problem).
  std::optional<ErrorSummary> summary(std::string title = "入力内容を確認してください。") const {
    if (problems_.empty()) return std::nullopt;
    ErrorSummary summary{std::move(title), {}};
    for (const auto& p : problems_) {
      summary.lines.push_back(ErrorLine{p.field.empty() ? std::nullopt : std::optional<std::string>("#" + p.field), p.message});
    }
    return summary;
  }
  // The messages about `field`, joined (none when the field is fine).
  std::optional<FieldError> at(std::string_view field) const {
    std::optional<FieldError> error;
    for (const auto& p : problems_) {
      if (p.field != field) continue;
      if (!error) error = FieldError{std::string(field) + "-error", p.message};
      else error->message += " " + p.message;
    }
    return error;
  }

 private:
  std::vector<Problem> problems_;
};

}  // namespace kakehashi::web

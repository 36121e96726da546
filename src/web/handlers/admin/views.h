// Typed views of the user administration screens (templates/admin/users, user_new, user_edit).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::adminweb {

struct UserRow {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::string roles;
  std::string organisation;
  std::optional<std::string> similar_warning;  // 「類似名称あり: ○○」
  std::string status;                          // 有効 / 停止中
  bool active = true;
  std::optional<std::string> edit_href;  // when the viewer may manage this user
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("email", email);
    f("roles", roles);
    f("organisation", organisation);
    f("similar_warning", similar_warning);
    f("status", status);
    f("active", active);
    f("edit_href", edit_href);
  }
};

struct UsersView {
  std::int64_t total = 0;
  std::string q;  // the search as typed
  bool searching = false;
  std::string page_label;
  bool can_manage = false;
  bool has_users = false;
  std::vector<UserRow> users;
  std::optional<Pagination> pages;
  void fields(auto& f) const {
    f("total", total);
    f("q", q);
    f("searching", searching);
    f("page_label", page_label);
    f("can_manage", can_manage);
    f("has_users", has_users);
    f("users", users);
    f("pages", pages);
  }
};

using RoleChoice = CheckOption;

struct BlockChoice {
  std::string id;
  std::string name;
  bool selected = false;
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("selected", selected);
  }
};

// The fields both user forms share, with what was typed and the message beside each field.
struct UserFields {
  std::string name;
  std::string organisation;
  std::vector<RoleChoice> roles;  // only the roles the signed-in user may give
  std::vector<BlockChoice> blocks;
  std::vector<std::string> organisations;  // the datalist of existing names
  std::optional<std::string> name_error;
  std::optional<std::string> roles_error;
  std::optional<std::string> organisation_error;
  std::optional<std::string> block_error;
  std::optional<std::string> organisation_warning;  // 「類似名称あり: ○○」
  bool errors_present = false;
  std::vector<std::string> errors;  // the summary at the top
  void fields(auto& f) const {
    f("name", name);
    f("organisation", organisation);
    f("roles", roles);
    f("blocks", blocks);
    f("organisations", organisations);
    f("name_error", name_error);
    f("roles_error", roles_error);
    f("organisation_error", organisation_error);
    f("block_error", block_error);
    f("organisation_warning", organisation_warning);
    f("errors_present", errors_present);
    f("errors", errors);
  }
};

struct UserNewView {
  UserFields form;
  std::string email;
  std::optional<std::string> email_error;
  std::optional<std::string> password_error;
  void fields(auto& f) const {
    f("form", form);
    f("email", email);
    f("email_error", email_error);
    f("password_error", password_error);
  }
};

// One of the user's API tokens, which a user manager may revoke (never see the secret of).
struct UserTokenRow {
  std::int64_t token_id = 0;
  std::string name;
  std::string expires;
  std::string last_used;
  std::string state;
  bool active = false;
  void fields(auto& f) const {
    f("token_id", token_id);
    f("name", name);
    f("expires", expires);
    f("last_used", last_used);
    f("state", state);
    f("active", active);
  }
};

struct UserEditView {
  std::int64_t id = 0;
  std::string email;
  bool active = true;
  std::string status;
  UserFields form;
  std::vector<UserTokenRow> tokens;
  bool has_tokens = false;
  void fields(auto& f) const {
    f("id", id);
    f("email", email);
    f("active", active);
    f("status", status);
    f("form", form);
    f("tokens", tokens);
    f("has_tokens", has_tokens);
  }
};

}  // namespace kakehashi::web::adminweb

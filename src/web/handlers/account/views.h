// Typed views of the person's own API tokens (templates/account/tokens, token_revoke) and their
// display settings (templates/account/settings).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::accountweb {

struct TokenRow {
  std::int64_t id = 0;
  std::string name;
  std::string created;    // Japan time
  std::string expires;
  std::string last_used;  // "—" when never used
  std::string state;      // 有効 / 期限切れ / 失効
  bool active = false;    // may be revoked
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("created", created);
    f("expires", expires);
    f("last_used", last_used);
    f("state", state);
    f("active", active);
  }
};

// The token just made: its secret is shown on this page only.
struct CreatedToken {
  std::string name;
  std::string secret;
  std::string expires;
  void fields(auto& f) const {
    f("name", name);
    f("secret", secret);
    f("expires", expires);
  }
};

struct TokensView {
  std::optional<CreatedToken> created;
  std::vector<TokenRow> tokens;
  bool has_tokens = false;
  // The creation form, with what was typed and the problems beside the fields.
  std::string name;
  std::string days;
  int max_days = 365;
  std::optional<std::string> name_error;
  std::optional<std::string> days_error;
  bool errors_present = false;
  std::vector<std::string> errors;
  void fields(auto& f) const {
    f("created", created);
    f("tokens", tokens);
    f("has_tokens", has_tokens);
    f("name", name);
    f("days", days);
    f("max_days", max_days);
    f("name_error", name_error);
    f("days_error", days_error);
    f("errors_present", errors_present);
    f("errors", errors);
  }
};

struct TokenRevokeView {
  TokenRow token;
  void fields(auto& f) const { f("token", token); }
};

// How the person's screens write dates (issue 16 item 8).
struct AccountSettingsView {
  std::vector<CheckOption> date_styles;  // id: western / era / both
  std::string example;                   // today in the current style
  void fields(auto& f) const {
    f("date_styles", date_styles);
    f("example", example);
  }
};

}  // namespace kakehashi::web::accountweb

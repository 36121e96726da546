// Typed views of the sign-in, sign-up and password-reset screens (templates/auth/).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"

namespace kakehashi::web::authweb {

struct LoginView {
  std::string email;
  std::string next;
  std::optional<std::string> error;
  std::optional<Notice> flash;
  void fields(auto& f) const {
    f("email", email);
    f("next", next);
    f("error", error);
    f("flash", flash);
  }
};

}  // namespace kakehashi::web::authweb

namespace kakehashi::web::authweb {

// One line of a form's error summary, linking to its field (the Digital Agency's pattern).
struct FieldErrorItem {
  std::string field;  // the input's id
  std::string message;
  void fields(auto& f) const {
    f("field", field);
    f("message", message);
  }
};

// templates/auth/signup.mustache: an operator's sign-up form.
struct SignupView {
  std::string organisation;
  std::string name;
  std::string email;
  std::string next;
  // The shared errors-at-fields markup (layout/form_errors, layout/field_error).
  std::optional<ErrorSummary> error_summary;
  FormProblems problems;  // not a template field
  std::optional<std::string> refusal;  // a limit reached (429)
  void fields(auto& f) const {
    f("organisation", organisation);
    f("name", name);
    f("email", email);
    f("next", next);
    f("error_summary", error_summary);
    f("e_organisation", problems.at("organisation"));
    f("e_name", problems.at("name"));
    f("e_email", problems.at("email"));
    f("e_password", problems.at("password"));
    f("refusal", refusal);
  }
};

// templates/auth/mail_sent.mustache: the one answer to a sign-up or reset request, whatever
// the address (so the page never says whether it has an account).
struct MailSentView {
  std::string heading;
  std::string email;
  std::string what;       // "登録を完了するためのリンク"
  std::string validity;   // "24 時間"
  std::string again_href;
  std::string again_label;
  void fields(auto& f) const {
    f("heading", heading);
    f("email", email);
    f("what", what);
    f("validity", validity);
    f("again_href", again_href);
    f("again_label", again_label);
  }
};

// templates/auth/signup_confirm.mustache: the page the link in the mail opens; its button
// (a POST) makes the account.
struct SignupConfirmView {
  std::string token;
  std::string organisation;
  std::string name;
  std::string email;
  std::string expires;
  std::optional<ErrorSummary> error_summary;
  FormProblems problems;  // not a template field
  std::optional<std::string> refusal;
  void fields(auto& f) const {
    f("token", token);
    f("organisation", organisation);
    f("name", name);
    f("email", email);
    f("expires", expires);
    f("error_summary", error_summary);
    f("e_organisation", problems.at("organisation"));
    f("refusal", refusal);
  }
};

// templates/auth/link_invalid.mustache: a link from a mail that is unknown, used or expired.
struct LinkInvalidView {
  std::string heading;
  std::string message;
  std::string again_href;
  std::string again_label;
  void fields(auto& f) const {
    f("heading", heading);
    f("message", message);
    f("again_href", again_href);
    f("again_label", again_label);
  }
};

// templates/auth/password_forgot.mustache: asks for the address to send a reset link to.
struct PasswordForgotView {
  std::string email;
  bool has_errors = false;
  std::vector<FieldErrorItem> errors;
  std::optional<std::string> email_error;
  std::optional<std::string> refusal;
  void fields(auto& f) const {
    f("email", email);
    f("has_errors", has_errors);
    f("errors", errors);
    f("email_error", email_error);
    f("refusal", refusal);
  }
};

// templates/auth/password_reset.mustache: the new password, from the link in the mail.
struct PasswordResetView {
  std::string token;
  std::string name;
  bool has_errors = false;
  std::vector<FieldErrorItem> errors;
  std::optional<std::string> password_error;
  std::optional<std::string> password_confirm_error;
  void fields(auto& f) const {
    f("token", token);
    f("name", name);
    f("has_errors", has_errors);
    f("errors", errors);
    f("password_error", password_error);
    f("password_confirm_error", password_confirm_error);
  }
};

}  // namespace kakehashi::web::authweb

// The confirmation pattern (docs/ui-patterns.md): before a step that cannot be undone, a page
// that says what will happen — who is notified, what gets locked — and asks once more. It is
// a page of its own, so it works without JavaScript: the button of the step leads to it (a GET
// for a plain action, or a post with step=confirm for a form, whose fields the page carries as
// hidden inputs), and its form posts the step itself. templates/shared/confirm.mustache.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/view_model.h"

namespace kakehashi::web {

struct HiddenField {
  std::string name;
  std::string value;
  void fields(auto& f) const {
    f("name", name);
    f("value", value);
  }
};

struct ConfirmView {
  std::string heading;                    // 「公募を公開しますか」
  std::string lead;                       // one sentence on the step
  std::vector<std::string> consequences;  // 「申請者 3 団体（5 人）に結果を通知します」
  std::optional<std::string> warning;     // e.g. reviews still missing
  std::string action;                     // where the form posts
  std::vector<HiddenField> hidden;        // the fields typed on the previous page
  std::string confirm_label;              // 「公開する」
  std::string back_href;
  std::string back_label = "戻る";
  void fields(auto& f) const {
    f("heading", heading);
    f("lead", lead);
    f("consequences", consequences);
    f("warning", warning);
    f("action", action);
    f("hidden", hidden);
    f("confirm_label", confirm_label);
    f("back_href", back_href);
    f("back_label", back_label);
  }
};

}  // namespace kakehashi::web

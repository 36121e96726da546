// Typed views of the sign-in screens (templates/auth/).
#pragma once

#include <optional>
#include <string>

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

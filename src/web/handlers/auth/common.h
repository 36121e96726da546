// What the sign-up and password-reset screens share.
#pragma once

#include <string>
#include <vector>

#include "web/app.h"

namespace kakehashi::web::authweb {

// The site's public URL without a trailing slash: the start of every link in a mail.
inline std::string site_url(const Application& app) {
  std::string url = app.config().public_url;
  while (url.ends_with('/')) url.pop_back();
  return url;
}

// A page for a visitor: the session (and so the form's CSRF token) is made when first needed.
template <ViewStruct View>
Response visitor_page(Application& app, Request& request, const std::string& title, const std::string& template_name,
                      const View& view, const std::vector<Breadcrumb>& crumbs, http::status status) {
  Response response;
  auto session = app.ensure_session(request, response);
  if (!session) return app.error_response(request, session.error());
  Response page = app.page(request, title, template_name, view, crumbs, "", status);
  for (auto& header : response.headers) page.headers.push_back(header);
  return page;
}

}  // namespace kakehashi::web::authweb

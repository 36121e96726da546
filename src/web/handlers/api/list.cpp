#include "web/handlers/api/list.h"

#include <fmt/format.h>

#include <charconv>

namespace kakehashi::web {
namespace {

// A whole number from `min` to `max` written in ASCII digits, or nothing.
std::optional<int> whole_number(const std::string& text, int min, int max) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
  return value;
}

// The query without page and per_page, "&"-joined, as sent (already percent-encoded).
std::string other_parameters(std::string_view query) {
  std::string kept;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    std::string_view key = pair.substr(0, pair.find('='));
    if (pair.empty() || key == "page" || key == "per_page") continue;
    kept += (kept.empty() ? "" : "&") + std::string(pair);
  }
  return kept;
}

}  // namespace

Result<ApiPage> api_page(const Request& request) {
  ApiPage page;
  if (std::string text = request.query_param("page"); !text.empty()) {
    auto value = whole_number(text, 1, 1'000'000);
    if (!value) return fail(Error::invalid("page は 1 以上の整数で指定してください"));
    page.page = *value;
  }
  if (std::string text = request.query_param("per_page"); !text.empty()) {
    auto value = whole_number(text, 1, kApiMaxPerPage);
    if (!value) return fail(Error::invalid(fmt::format("per_page は 1〜{} の整数で指定してください", kApiMaxPerPage)));
    page.per_page = *value;
  }
  return page;
}

std::string api_link_header(const Request& request, const ApiPage& page, std::int64_t total) {
  std::int64_t last = std::max<std::int64_t>(1, (total + page.per_page - 1) / page.per_page);
  if (last == 1 && page.page == 1) return "";
  std::string others = other_parameters(request.query);
  auto link = [&](std::int64_t number, std::string_view rel) {
    return fmt::format("<{}?{}{}page={}&per_page={}>; rel=\"{}\"", request.path, others, others.empty() ? "" : "&",
                       number, page.per_page, rel);
  };
  std::string header = link(1, "first");
  if (page.page > 1) header += ", " + link(std::min<std::int64_t>(page.page - 1, last), "prev");
  if (page.page < last) header += ", " + link(page.page + 1, "next");
  header += ", " + link(last, "last");
  return header;
}

Response api_list(const Request& request, const ApiPage& page, std::int64_t total, boost::json::array items) {
  boost::json::object body{{"items", std::move(items)}, {"page", page.page}, {"per_page", page.per_page}, {"total", total}};
  Response response = Response::json(boost::json::serialize(body));
  if (std::string link = api_link_header(request, page, total); !link.empty()) response.with_header("Link", link);
  return response;
}

}  // namespace kakehashi::web

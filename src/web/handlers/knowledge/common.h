// Helpers the knowledge screens share (issue 19). URL scheme:
//   /cases, /cases/{id}, /cases/lessons[/{id}], /cases/stakeholders, /cases/photos/{id}
//   /cases/data.csv, /cases/data.json, /cases/dcat.json           public, published only
//   /knowledge                                                    overview, downloads
//   /knowledge/cases, /knowledge/lessons                          staff search (within reach)
//   /knowledge/new?kind=, /knowledge/items/{id}[/edit|/submit|…]  an item and its curation
//   /knowledge/stakeholders[/{code}/edit], /knowledge/import[/{id}]
//   /api/v1/cases[/{id}], /api/v1/lessons
#pragma once

#include <string>
#include <vector>

#include "knowledge/model.h"
#include "knowledge/service.h"
#include "web/handlers/handlers.h"
#include "web/handlers/knowledge/views.h"

namespace kakehashi::web::knowweb {

// The search of the request's query (?q=&category=&block=&school=&effect=&outcome=&stakeholder=&status=&page=).
knowledge::SearchRequest search_request(const Request& request, knowledge::Kind kind);
// The search page: hits, facets with links that keep the rest of the query, pagination.
SearchView search_view(const knowledge::SearchRequest& search, const knowledge::SearchResult& result,
                       const std::string& base_path, bool staff);
// "/cases/{id}" or "/cases/lessons/{id}".
std::string public_href(const knowledge::Item& item);
std::string staff_href(std::int64_t id);
// 「ヒト・北海道ブロック・2026年度」
std::string meta_of(const knowledge::Item& item);
// The content shared by the public and the staff page; photos linked under `photo_base`.
ItemContent item_content(const knowledge::Item& item, const std::vector<knowledge::Photo>& photos,
                         const std::string& photo_base);
// Markdown body as safe HTML: paragraphs, "- " lists, "#" headings (as h3/h4), **strong**;
// everything escaped, no links or raw HTML.
Html markdown_html(std::string_view markdown);
// The stakeholder map as an accessible SVG (role="img" with a title; the table says the same).
std::string stakeholder_svg(const std::vector<knowledge::Stakeholder>& map);

std::vector<Link> staff_tabs(std::string_view current, bool curator);
std::vector<Link> public_tabs(std::string_view current);

}  // namespace kakehashi::web::knowweb

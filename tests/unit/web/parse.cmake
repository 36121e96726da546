# Unit tests of the web request parsers (src/web/parse.cmake). Included by
# tests/unit/web/CMakeLists.txt.
kakehashi_test(web_parse
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/parse_form_urlencoded_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/parse_cookies_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/parse_content_disposition_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/parse_multipart_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/parse_quarantine_test.cpp
  DEPS kk_web)

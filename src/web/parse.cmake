# The request-body and header parsers of the web server (form bodies, multipart uploads into
# quarantine, cookies, Content-Disposition). Included by src/web/CMakeLists.txt.
pkg_check_modules(MAGIC REQUIRED IMPORTED_TARGET libmagic)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(fmt REQUIRED)
set(KAKEHASHI_WEB_PARSE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/form_urlencoded.cpp
  ${CMAKE_CURRENT_LIST_DIR}/multipart.cpp
  ${CMAKE_CURRENT_LIST_DIR}/content_disposition.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cookies.cpp)
set(KAKEHASHI_WEB_PARSE_DEPS PkgConfig::MAGIC OpenSSL::Crypto fmt::fmt kk_base)

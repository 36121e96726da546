// The web application driven in-process, as the server drives it (prepare, then handle), with a
// cookie-keeping client per person: for tests that send hundreds of requests (the route × role
// matrix) where a socket per request would only add time. What the server adds around the
// Application (socket limits, timeouts, body streaming) is tested over HTTP in tests/http.
#pragma once

#include <cstdlib>

#include "inspect/isolate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "web/app.h"

namespace kakehashi::testing {

// A file part of a multipart form, as the server leaves it in quarantine.
struct UploadPart {
  std::string field = "file";
  std::string file_name;
  std::string content_type;
  std::string bytes;
};

// Cookies and the last CSRF token a page gave, like a browser tab.
class Client {
 public:
  std::map<std::string, std::string> cookies;
  std::string csrf_token;

  std::string cookie_header() const {
    std::string out;
    for (const auto& [name, value] : cookies) out += (out.empty() ? "" : "; ") + name + "=" + value;
    return out;
  }
};

class InProcess {
 public:
  InProcess(web::Application& app, std::filesystem::path quarantine) : app_(app), quarantine_(std::move(quarantine)) {
    std::filesystem::create_directories(quarantine_);
    // Uploads are inspected by a child process: the built kakehashi (named by ctest), never
    // this test binary, which would run its own tests again.
    const char* bin = std::getenv("KAKEHASHI_BIN");
    inspect::set_inspection_program(bin != nullptr && *bin != '\0' ? bin : "/nonexistent/kakehashi");
  }

  web::Response get(Client& client, const std::string& target) {
    return send(client, web::http::verb::get, target, {}, {});
  }

  // A form post with the client's CSRF token added (unless `fields` carries one).
  web::Response post(Client& client, const std::string& target, std::vector<std::pair<std::string, std::string>> fields,
                     std::vector<UploadPart> files = {}) {
    return send(client, web::http::verb::post, target, std::move(fields), std::move(files));
  }

  // GETs `target` to pick up cookies and the page's CSRF token, then posts the login form.
  web::Response log_in(Client& client, const std::string& email, const std::string& password) {
    get(client, "/login");
    return post(client, "/login", {{"email", email}, {"password", password}, {"next", "/"}});
  }

 private:
  web::Response send(Client& client, web::http::verb method, const std::string& target,
                     std::vector<std::pair<std::string, std::string>> fields, std::vector<UploadPart> files) {
    web::Request request;
    request.method = method;
    request.target = target;
    auto question = target.find('?');
    request.path = target.substr(0, question);
    request.query = question == std::string::npos ? "" : target.substr(question + 1);
    request.remote_address = "127.0.0.1";
    request.request_id = "in-process";
    request.headers.set(web::http::field::host, "localhost");
    if (!client.cookies.empty()) request.headers.set(web::http::field::cookie, client.cookie_header());
    bool csrf_given = false;
    for (const auto& [name, value] : fields) csrf_given = csrf_given || name == "csrf_token";
    if (method == web::http::verb::post && !csrf_given && !client.csrf_token.empty()) {
      fields.emplace_back("csrf_token", client.csrf_token);
    }
    std::string body;
    for (const auto& [name, value] : fields) {
      body += (body.empty() ? "" : "&") + web::url_encode(name) + "=" + web::url_encode(value);
    }
    bool multipart = false;
    if (method == web::http::verb::post) {
      request.headers.set(web::http::field::origin, "http://localhost");
      auto match = app_.router().match(method, request.path);
      multipart = match.route && match.route->options.body == web::BodyKind::kMultipart;
      request.headers.set(web::http::field::content_type,
                          multipart ? "multipart/form-data; boundary=in-process" : "application/x-www-form-urlencoded");
      request.headers.set(web::http::field::content_length, std::to_string(body.size()));
    }
    const web::Route* route = nullptr;
    web::Response response;
    if (auto early = app_.prepare(request, route)) {
      response = std::move(*early);
    } else {
      if (multipart) {
        // What the server's streaming parser hands the application: fields, and files in quarantine.
        for (const auto& [name, value] : fields) request.form.add(name, value);
        for (std::size_t i = 0; i < files.size(); ++i) {
          web::QuarantinedFile file;
          file.field_name = files[i].field;
          file.original_name = files[i].file_name;
          file.declared_type = files[i].content_type;
          file.sniffed_type = files[i].content_type;
          file.size = files[i].bytes.size();
          file.stored_path = quarantine_ / ("upload-in-process-" + std::to_string(++uploads_));
          std::ofstream(file.stored_path, std::ios::binary) << files[i].bytes;
          request.files.push_back(std::move(file));
        }
      } else {
        request.body = body;
      }
      response = app_.handle(request, *route);
    }
    remember(client, response);
    return response;
  }

  static void remember(Client& client, const web::Response& response) {
    for (const auto& [name, value] : response.headers) {
      if (name != "Set-Cookie") continue;
      auto equals = value.find('=');
      auto end = value.find(';');
      std::string cookie = value.substr(0, equals);
      std::string content = value.substr(equals + 1, end == std::string::npos ? std::string::npos : end - equals - 1);
      bool removed = value.find("Max-Age=0") != std::string::npos;
      if (removed || content.empty()) {
        client.cookies.erase(cookie);
      } else {
        client.cookies[cookie] = content;
      }
    }
    static const std::regex token(R"re((?:name="csrf_token" value="|data-csrf-token=")([A-Za-z0-9_\-]+)")re");
    std::smatch match;
    if (std::regex_search(response.body, match, token)) client.csrf_token = match[1];
  }

  web::Application& app_;
  std::filesystem::path quarantine_;
  int uploads_ = 0;
};

}  // namespace kakehashi::testing

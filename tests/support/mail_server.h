// A real SMTP server for unit tests (tests/support/smtp_server.py: Debian's aiosmtpd on
// 127.0.0.1 and a free port), and a reader of e-mail that is not ours (decode_mail.py: Python's
// email package), so a test checks what a mail program would show, not what our writer meant.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace kakehashi::testing {

inline std::filesystem::path support_dir() {
  const char* source = std::getenv("KAKEHASHI_SOURCE_DIR");
  return std::filesystem::path(source ? source : ".") / "tests" / "support";
}

// decode_mail.py's reading of the message in `path` (subject, from_name, body …).
inline boost::json::object decode_mail_file(const std::filesystem::path& path) {
  std::string command = "/usr/bin/python3 " + (support_dir() / "decode_mail.py").string() + " '" + path.string() + "'";
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    ::pclose(pipe);
  }
  EXPECT_FALSE(out.empty()) << "decode_mail.py read nothing from " << path;
  if (out.empty()) return {};
  return boost::json::parse(out).as_object();
}

// aiosmtpd in a child process for the life of the object; `args` are smtp_server.py's options
// after --dir. Messages land in folder() as <n>.eml with <n>.json.
class SmtpServer {
 public:
  SmtpServer(std::filesystem::path folder, std::vector<std::string> args = {}) : folder_(std::move(folder)) {
    std::filesystem::create_directories(folder_);
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
      ADD_FAILURE() << "pipe";
      return;
    }
    std::vector<std::string> words{"/usr/bin/python3", (support_dir() / "smtp_server.py").string(), "--dir",
                                   folder_.string()};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(to_child[0]);
    ::close(from_child[1]);
    stdin_ = to_child[1];
    if (spawned != 0) {
      ADD_FAILURE() << "could not start smtp_server.py";
      ::close(from_child[0]);
      pid_ = -1;
      return;
    }
    // Its first line: "PORT <n>".
    std::string line;
    char c;
    while (::read(from_child[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    ::close(from_child[0]);
    if (line.starts_with("PORT ")) port_ = std::stoi(line.substr(5));
    EXPECT_GT(port_, 0) << "smtp_server.py did not start (is python3-aiosmtpd installed?): " << line;
  }
  ~SmtpServer() {
    if (stdin_ >= 0) ::close(stdin_);  // the server stops when its input closes
    if (pid_ > 0) {
      int status = 0;
      for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (::waitpid(pid_, &status, WNOHANG) == 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
    }
  }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  int port() const { return port_; }
  const std::filesystem::path& folder() const { return folder_; }

  // The received messages' .eml paths, in arrival order.
  std::vector<std::filesystem::path> messages() const {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      if (entry.path().extension() == ".eml") found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    return found;
  }
  // The .json the server wrote beside message `eml` (envelope, auth, tls, decoded).
  static boost::json::object meta(const std::filesystem::path& eml) {
    auto path = eml;
    path.replace_extension(".json");
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return boost::json::parse(text.str()).as_object();
  }

 private:
  std::filesystem::path folder_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

}  // namespace kakehashi::testing

#include "web/log.h"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <mutex>

namespace kakehashi::web {

void write_log_line(const boost::json::object& line) {
  static std::mutex mutex;
  std::string text = boost::json::serialize(line);
  text.push_back('\n');
  std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace kakehashi::web

// The server's log: one JSON object per line on standard output, lines never interleaved
// between threads. Lines carry request ids, routes, statuses and times; never cookies, addresses,
// form values or other personal data.
#pragma once

#include <boost/json/object.hpp>

namespace kakehashi::web {

void write_log_line(const boost::json::object& line);

}  // namespace kakehashi::web

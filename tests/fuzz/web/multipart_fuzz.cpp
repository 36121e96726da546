// Fuzz target: the streaming multipart parser. The first two bytes seed how the rest (the body)
// is cut into chunks; the parse in chunks must give exactly the events and the error of the
// parse in one piece, the events must be well ordered and the limits must hold.
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "web/multipart.h"

namespace {

using kakehashi::Result;
using kakehashi::web::MultipartLimits;
using kakehashi::web::PartInfo;

// Small limits so the fuzzer reaches them.
MultipartLimits fuzz_limits() {
  MultipartLimits limits;
  limits.max_parts = 8;
  limits.max_part_header_bytes = 256;
  limits.max_part_headers = 4;
  limits.max_field_bytes = 64;
  limits.max_file_bytes = 256;
  limits.max_preamble_bytes = 64;
  return limits;
}

class Recorder : public kakehashi::web::MultipartHandler {
 public:
  Result<void> on_part_begin(const PartInfo& part) override {
    if (in_part) __builtin_trap();
    in_part = true;
    events.push_back("B" + part.name + "|" + part.filename.value_or("-") + "|" + part.content_type);
    data_started = false;
    return {};
  }
  Result<void> on_part_data(std::string_view bytes) override {
    if (!in_part || bytes.empty()) __builtin_trap();
    if (!data_started) events.emplace_back("D");
    events.back().append(bytes);
    data_started = true;
    return {};
  }
  Result<void> on_part_end() override {
    if (!in_part) __builtin_trap();
    in_part = false;
    events.emplace_back("E");
    return {};
  }
  std::vector<std::string> events;
  bool in_part = false;
  bool data_started = false;
};

struct Outcome {
  std::vector<std::string> events;
  std::string error;
  bool complete = false;
  bool limit_exceeded = false;
};

Outcome parse(std::string_view body, const std::vector<size_t>& cuts) {
  Recorder recorder;
  auto parser = kakehashi::web::MultipartParser::create("multipart/form-data; boundary=XyZ", recorder,
                                                        fuzz_limits());
  if (!parser) __builtin_trap();
  Outcome outcome;
  size_t start = 0;
  Result<void> status;
  for (size_t cut : cuts) {
    status = parser->feed(body.substr(start, cut - start));
    start = cut;
    if (!status) break;
  }
  if (status) status = parser->feed(body.substr(start));
  if (status) status = parser->finish();
  if (!status) outcome.error = status.error().message;
  outcome.complete = parser->complete();
  outcome.limit_exceeded = parser->limit_exceeded();
  if (outcome.limit_exceeded && outcome.error.empty()) __builtin_trap();
  outcome.events = std::move(recorder.events);
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)kakehashi::web::multipart_boundary(input);  // the header parser, on the same bytes

  std::string_view body = input.substr(2);
  std::mt19937 random(static_cast<unsigned>(data[0]) << 8 | data[1]);
  std::vector<size_t> cuts;
  for (size_t at = 0; at < body.size();) {
    at += 1 + random() % 17;
    if (at < body.size()) cuts.push_back(at);
  }
  Outcome whole = parse(body, {});
  Outcome pieces = parse(body, cuts);
  // Once failed, the event lists may differ in how far they got; without an error they match.
  if (whole.error != pieces.error || whole.complete != pieces.complete ||
      whole.limit_exceeded != pieces.limit_exceeded) {
    __builtin_trap();
  }
  if (whole.error.empty() && whole.events != pieces.events) __builtin_trap();
  for (const auto& event : whole.events) {
    if (event[0] == 'D' && whole.error.empty() && event.size() > 1 + 256) __builtin_trap();
  }
  return 0;
}

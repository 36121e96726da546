// Fuzz target: any bytes as a whole file (PDF, OOXML or CSV, routed by the sniffer), inspected,
// cleaned and disarmed. None may crash, hang or leak whatever the input.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "inspect/cleaner.h"
#include "inspect/disarm.h"
#include "inspect/inspector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  static const fs::path dir = [] {
    fs::path path = fs::temp_directory_path() / ("kk_fuzz_file_" + std::to_string(::getpid()));
    fs::create_directories(path);
    return path;
  }();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  // The extension only matters for CSV; PDF and ZIP are recognised by their first bytes.
  fs::path in =
      dir / (bytes.starts_with("%PDF") || bytes.starts_with("PK") ? "input.bin" : "input.csv");
  {
    std::ofstream out(in, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto report = kakehashi::inspect::inspect_file(in.string(), {});
  if (report) (void)kakehashi::inspect::to_json(std::vector{*report});
  auto cleaned = kakehashi::inspect::clean_file(in.string(), (dir / "cleaned.bin").string(), {});
  if (cleaned) (void)kakehashi::inspect::inspect_file((dir / "cleaned.bin").string(), {});
  auto disarmed = kakehashi::inspect::disarm_file(in, dir / "disarmed.bin");
  if (disarmed) (void)kakehashi::inspect::inspect_file((dir / "disarmed.bin").string(), {});
  std::error_code ec;
  fs::remove(in, ec);
  fs::remove(dir / "cleaned.bin", ec);
  fs::remove(dir / "disarmed.bin", ec);
  return 0;
}

// Fuzz target: the bytes become one XML part of an otherwise valid package (the first byte
// picks which), so mutations reach the OOXML readers instead of dying in the ZIP layer.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "inspect/cleaner.h"
#include "inspect/inspector.h"
#include "unit/inspect/fixtures.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  using namespace kakehashi::inspect;
  static const fs::path dir = [] {
    fs::path path = fs::temp_directory_path() / ("kk_fuzz_part_" + std::to_string(::getpid()));
    fs::create_directories(path);
    return path;
  }();
  if (size == 0) return 0;
  std::string xml(reinterpret_cast<const char*>(data) + 1, size - 1);
  testing::Parts parts;
  std::string name;
  switch (data[0] % 9) {
    case 0:
      parts = testing::minimal_xlsx();
      name = "xl/worksheets/sheet1.xml";
      break;
    case 1:
      parts = testing::minimal_xlsx();
      name = "xl/workbook.xml";
      break;
    case 2:
      parts = testing::minimal_xlsx();
      name = "xl/_rels/workbook.xml.rels";
      break;
    case 3:
      parts = testing::minimal_docx();
      name = "word/document.xml";
      break;
    case 4:
      parts = testing::minimal_docx();
      name = "[Content_Types].xml";
      break;
    case 5:
      parts = testing::minimal_pptx();
      name = "ppt/slides/slide1.xml";
      break;
    case 6:
      parts = testing::minimal_pptx();
      name = "ppt/presentation.xml";
      break;
    case 7:
      parts = testing::minimal_docx();
      name = "_rels/.rels";
      break;
    default:
      parts = testing::minimal_xlsx();
      name = "docProps/core.xml";
      testing::add_relationship(parts, "_rels/.rels", "rId9", testing::rel_type("core-properties"),
                                name);
  }
  parts[name] = xml;
  fs::path in = dir / "input.zip";
  testing::write_zip(in, parts);
  auto report = inspect_file(in.string(), {});
  if (report) (void)to_json(std::vector{*report});
  auto cleaned = clean_file(in.string(), (dir / "cleaned.zip").string(), {true, false});
  if (cleaned) (void)inspect_file((dir / "cleaned.zip").string(), {});
  return 0;
}

// Test fixtures built on the fly: OOXML packages written with libzip, PDFs with qpdf.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <qpdf/QPDF.hh>
#include <string>

namespace kakehashi::inspect::testing {

// Parts of an OOXML package by name ("xl/workbook.xml" -> XML text).
using Parts = std::map<std::string, std::string>;

Parts minimal_xlsx();
Parts minimal_docx();
Parts minimal_pptx();

// Adds an Override to [Content_Types].xml and a relationship to a .rels part.
void add_override(Parts& parts, const std::string& part_name, const std::string& content_type);
void add_relationship(Parts& parts, const std::string& rels_part, const std::string& id,
                      const std::string& type, const std::string& target, bool external = false);
// Relationship type URI for a kind ("comments" -> http://schemas.openxmlformats.org/.../comments).
std::string rel_type(const std::string& kind);

void write_zip(const std::filesystem::path& path, const Parts& parts);

// A one-page PDF with the text "Public report 2026" in Helvetica; `customize` edits it
// before it is written.
void write_pdf(const std::filesystem::path& path,
               const std::function<void(QPDF&, QPDFObjectHandle page)>& customize = {},
               bool encrypt = false);

std::string read_bytes(const std::filesystem::path& path);
void write_bytes(const std::filesystem::path& path, const std::string& bytes);

// A fresh folder under the test temp dir, removed by the caller's fixture.
std::filesystem::path temp_dir(const std::string& name);

}  // namespace kakehashi::inspect::testing

// Test fixtures built on the fly: OOXML packages written with libzip, PDFs with qpdf.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <qpdf/QPDF.hh>
#include <string>
#include <vector>
#include <cstdint>

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
// before it is written. `raw_streams` writes every stream's data as it is (a hand-made bomb
// must not be decoded by the writer).
void write_pdf(const std::filesystem::path& path,
               const std::function<void(QPDF&, QPDFObjectHandle page)>& customize = {},
               bool encrypt = false, bool raw_streams = false);
// A stream whose data is `encoded` as it is, with the given /Filter (e.g. "/FlateDecode" or
// "[/FlateDecode /DCTDecode]") and extra dictionary entries ("/Subtype /Image ...").
QPDFObjectHandle encoded_stream(QPDF& pdf, const std::string& encoded, const std::string& filter,
                                const std::string& extra_dict = "");

// Deflate data for `bytes` zero bytes, made in milliseconds whatever the size: one 1 MiB block
// compressed with Z_FULL_FLUSH (which refers to nothing before it) repeated, then the final
// block. `zlib` adds the zlib header and Adler-32 (PDF FlateDecode); without it the data is raw
// deflate (ZIP). About 1 KiB per MiB: 1 GiB of zeros is ~1 MiB.
std::string deflate_zeros(std::uint64_t bytes, bool zlib);
// CRC-32 of `bytes` zero bytes (for a ZIP entry).
std::uint32_t crc32_zeros(std::uint64_t bytes);

// One entry of a ZIP written byte by byte: `data` as stored (deflated when `deflated`), with the
// CRC and uncompressed size the headers declare (a bomb's headers may lie).
struct RawEntry {
  std::string name;
  std::string data;
  bool deflated = false;
  std::uint32_t crc = 0;
  std::uint64_t size = 0;  // declared uncompressed size (< 4 GiB: no ZIP64)
};
// A stored (uncompressed) entry with honest headers.
RawEntry stored_entry(const std::string& name, const std::string& data);
void write_raw_zip(const std::filesystem::path& path, const std::vector<RawEntry>& entries);
// The parts of a package as stored entries (to add a hand-made entry beside them).
std::vector<RawEntry> stored_entries(const Parts& parts);

// A small JPEG as a camera writes it (issue 23 item 1): APP0 JFIF, then with `metadata` an
// APP1 EXIF block (GPS position, Artist, Make, Model, BodySerialNumber), an APP1 XMP packet
// (dc:creator) and an APP13 IPTC block (By-line), then APP2 (an ICC profile), the tables, the
// frame and the scan data. The entropy-coded data is filler: nothing here decodes pixels.
std::string photo_jpeg(bool metadata);
// A TIFF image whose IFD0 names the Artist and points at a GPS IFD with a position.
std::string photo_tiff();
// Everything from the start-of-scan marker on (the compressed pixels).
std::string jpeg_scan_data(const std::string& jpeg);

std::string read_bytes(const std::filesystem::path& path);
void write_bytes(const std::filesystem::path& path, const std::string& bytes);

}  // namespace kakehashi::inspect::testing

#include "unit/inspect/fixtures.h"

#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <stdexcept>

namespace kakehashi::inspect::testing {

namespace {

const char* kContentTypesHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Default Extension=\"bin\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.oleObject\"/>"
    "<Default Extension=\"jpeg\" ContentType=\"image/jpeg\"/>";

std::string rels(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
         body + "</Relationships>";
}

}  // namespace

std::string rel_type(const std::string& kind) {
  if (kind == "core-properties")
    return "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
  if (kind == "thumbnail")
    return "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail";
  if (kind == "vbaProject")
    return "http://schemas.microsoft.com/office/2006/relationships/vbaProject";
  if (kind == "threadedComment")
    return "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment";
  return "http://schemas.openxmlformats.org/officeDocument/2006/relationships/" + kind;
}

void add_override(Parts& parts, const std::string& part_name, const std::string& content_type) {
  std::string& types = parts["[Content_Types].xml"];
  types.insert(types.rfind("</Types>"),
               "<Override PartName=\"" + part_name + "\" ContentType=\"" + content_type + "\"/>");
}

void add_relationship(Parts& parts, const std::string& rels_part, const std::string& id,
                      const std::string& type, const std::string& target, bool external) {
  std::string& xml = parts[rels_part];
  if (xml.empty()) xml = rels("");
  xml.insert(xml.rfind("</Relationships>"),
             "<Relationship Id=\"" + id + "\" Type=\"" + type + "\" Target=\"" + target + "\"" +
                 (external ? " TargetMode=\"External\"" : "") + "/>");
}

Parts minimal_xlsx() {
  Parts parts;
  parts["[Content_Types].xml"] = std::string(kContentTypesHead) + "</Types>";
  add_override(parts, "/xl/workbook.xml",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
  add_override(parts, "/xl/worksheets/sheet1.xml",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
  parts["_rels/.rels"] = rels("");
  add_relationship(parts, "_rels/.rels", "rId1", rel_type("officeDocument"), "xl/workbook.xml");
  parts["xl/workbook.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  parts["xl/_rels/workbook.xml.rels"] = rels("");
  add_relationship(parts, "xl/_rels/workbook.xml.rels", "rId1", rel_type("worksheet"),
                   "worksheets/sheet1.xml");
  parts["xl/worksheets/sheet1.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>公開データ</t></is></c>"
      "<c r=\"B1\"><v>2026</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>令和8年4月1日 1,234,567円</t></is></c></row>"
      "</sheetData></worksheet>";
  return parts;
}

Parts minimal_docx() {
  Parts parts;
  parts["[Content_Types].xml"] = std::string(kContentTypesHead) + "</Types>";
  add_override(parts, "/word/document.xml",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
  parts["_rels/.rels"] = rels("");
  add_relationship(parts, "_rels/.rels", "rId1", rel_type("officeDocument"), "word/document.xml");
  parts["word/document.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<w:body><w:p><w:r><w:t>報告書</w:t></w:r></w:p>"
      "<w:p><w:r><w:t xml:space=\"preserve\">文書番号 第2026-0412号 "
      "</w:t></w:r></w:p></w:body></w:document>";
  parts["word/_rels/document.xml.rels"] = rels("");
  return parts;
}

Parts minimal_pptx() {
  Parts parts;
  parts["[Content_Types].xml"] = std::string(kContentTypesHead) + "</Types>";
  add_override(
      parts, "/ppt/presentation.xml",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml");
  add_override(parts, "/ppt/slides/slide1.xml",
               "application/vnd.openxmlformats-officedocument.presentationml.slide+xml");
  parts["_rels/.rels"] = rels("");
  add_relationship(parts, "_rels/.rels", "rId1", rel_type("officeDocument"),
                   "ppt/presentation.xml");
  parts["ppt/presentation.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<p:presentation xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
      "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\">"
      "<p:sldIdLst><p:sldId id=\"256\" r:id=\"rId2\"/></p:sldIdLst>"
      "<p:sldSz cx=\"9144000\" cy=\"6858000\"/><p:notesSz cx=\"6858000\" "
      "cy=\"9144000\"/></p:presentation>";
  parts["ppt/_rels/presentation.xml.rels"] = rels("");
  add_relationship(parts, "ppt/_rels/presentation.xml.rels", "rId2", rel_type("slide"),
                   "slides/slide1.xml");
  parts["ppt/slides/slide1.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<p:sld xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
      "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\">"
      "<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" "
      "name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
      "<p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id=\"2\" "
      "name=\"Title\"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>"
      "<p:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"9144000\" "
      "cy=\"1000000\"/></a:xfrm></p:spPr>"
      "<p:txBody><a:bodyPr/><a:p><a:r><a:t>成果報告</a:t></a:r></a:p></p:txBody></p:sp>"
      "</p:spTree></p:cSld></p:sld>";
  parts["ppt/slides/_rels/slide1.xml.rels"] = rels("");
  return parts;
}

void write_zip(const std::filesystem::path& path, const Parts& parts) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("cannot create " + path.string());
  // [Content_Types].xml first, as Office writes it.
  std::vector<std::pair<std::string, std::string>> ordered;
  if (parts.contains("[Content_Types].xml"))
    ordered.emplace_back("[Content_Types].xml", parts.at("[Content_Types].xml"));
  for (const auto& [name, data] : parts) {
    if (name != "[Content_Types].xml") ordered.emplace_back(name, data);
  }
  for (const auto& [name, data] : ordered) {
    // `ordered` outlives zip_close(), which is when libzip reads the buffers.
    zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
    if (zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(source);
      throw std::runtime_error("cannot add " + name);
    }
  }
  if (zip_close(archive) != 0) throw std::runtime_error("cannot write " + path.string());
}

QPDFObjectHandle encoded_stream(QPDF& pdf, const std::string& encoded, const std::string& filter,
                                const std::string& extra_dict) {
  QPDFObjectHandle stream = QPDFObjectHandle::newStream(&pdf);
  stream.replaceStreamData(encoded, QPDFObjectHandle::parse(filter), QPDFObjectHandle::newNull());
  if (!extra_dict.empty()) {
    QPDFObjectHandle extra = QPDFObjectHandle::parse("<< " + extra_dict + " >>");
    for (const auto& key : extra.getKeys()) stream.getDict().replaceKey(key, extra.getKey(key));
  }
  return stream;
}

void write_pdf(const std::filesystem::path& path,
               const std::function<void(QPDF&, QPDFObjectHandle page)>& customize, bool encrypt,
               bool raw_streams) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFObjectHandle font = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
  QPDFObjectHandle content =
      QPDFObjectHandle::newStream(&pdf, "BT /F1 24 Tf 72 720 Td (Public report 2026) Tj ET");
  QPDFObjectHandle page = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Page /MediaBox [0 0 612 792] /Resources << /Font << >> >> >>"));
  page.getKey("/Resources").getKey("/Font").replaceKey("/F1", font);
  page.replaceKey("/Contents", content);
  QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(page), false);
  QPDFObjectHandle added = QPDFPageDocumentHelper(pdf).getAllPages().front().getObjectHandle();
  if (customize) customize(pdf, added);
  QPDFWriter writer(pdf, path.c_str());
  writer.setStaticID(true);
  if (raw_streams) {
    writer.setCompressStreams(false);
    writer.setDecodeLevel(qpdf_dl_none);
  }
  if (encrypt) {
    writer.setR6EncryptionParameters("user", "owner", true, true, true, true, true, true,
                                     qpdf_r3p_full, true);
  }
  writer.write();
}

std::string deflate_zeros(std::uint64_t bytes, bool zlib) {
  constexpr std::uint64_t kChunk = 1 << 20;
  std::string zeros(kChunk, '\0');
  z_stream stream{};
  if (deflateInit2(&stream, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(2 * kChunk, '\0');
  auto run = [&](std::uint64_t n, int flush) {
    stream.next_in = reinterpret_cast<Bytef*>(zeros.data());
    stream.avail_in = static_cast<uInt>(n);
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    if (deflate(&stream, flush) == Z_STREAM_ERROR || stream.avail_in != 0)
      throw std::runtime_error("deflate");
    return out.substr(0, out.size() - stream.avail_out);
  };
  std::string block = run(kChunk, Z_FULL_FLUSH);
  std::string tail = run(bytes % kChunk, Z_FINISH);
  deflateEnd(&stream);
  std::string data;
  if (zlib) data = "\x78\xda";
  data.reserve(block.size() * (bytes / kChunk) + tail.size() + 6);
  for (std::uint64_t i = 0; i < bytes / kChunk; ++i) data += block;
  data += tail;
  if (zlib) {
    // Adler-32 of n zeros: a stays 1, b is n (mod 65521).
    std::uint32_t adler = static_cast<std::uint32_t>((bytes % 65521) << 16) | 1u;
    for (int shift : {24, 16, 8, 0}) data += static_cast<char>((adler >> shift) & 0xff);
  }
  return data;
}

std::uint32_t crc32_zeros(std::uint64_t bytes) {
  constexpr std::uint64_t kChunk = 1 << 20;
  std::string zeros(kChunk, '\0');
  uLong chunk = crc32(0L, reinterpret_cast<const Bytef*>(zeros.data()), kChunk);
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::uint64_t i = 0; i < bytes / kChunk; ++i) crc = crc32_combine(crc, chunk, kChunk);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(zeros.data()),
              static_cast<uInt>(bytes % kChunk));
  return static_cast<std::uint32_t>(crc);
}

RawEntry stored_entry(const std::string& name, const std::string& data) {
  RawEntry entry;
  entry.name = name;
  entry.data = data;
  entry.crc = static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  entry.size = data.size();
  return entry;
}

std::vector<RawEntry> stored_entries(const Parts& parts) {
  std::vector<RawEntry> entries;
  if (parts.contains("[Content_Types].xml"))
    entries.push_back(stored_entry("[Content_Types].xml", parts.at("[Content_Types].xml")));
  for (const auto& [name, data] : parts) {
    if (name != "[Content_Types].xml") entries.push_back(stored_entry(name, data));
  }
  return entries;
}

void write_raw_zip(const std::filesystem::path& path, const std::vector<RawEntry>& entries) {
  std::string out;
  std::string directory;
  auto u16 = [](std::string& s, std::uint32_t v) {
    s += static_cast<char>(v & 0xff);
    s += static_cast<char>((v >> 8) & 0xff);
  };
  auto u32 = [&](std::string& s, std::uint32_t v) {
    u16(s, v & 0xffff);
    u16(s, v >> 16);
  };
  for (const auto& entry : entries) {
    if (entry.size >= 0xffffffffu || entry.data.size() >= 0xffffffffu)
      throw std::runtime_error("write_raw_zip writes no ZIP64");
    std::uint32_t offset = static_cast<std::uint32_t>(out.size());
    std::uint16_t method = entry.deflated ? 8 : 0;
    // Local file header.
    u32(out, 0x04034b50);
    u16(out, 20);
    u16(out, 0);
    u16(out, method);
    u16(out, 0);       // time
    u16(out, 0x21);    // date: 1980-01-01
    u32(out, entry.crc);
    u32(out, static_cast<std::uint32_t>(entry.data.size()));
    u32(out, static_cast<std::uint32_t>(entry.size));
    u16(out, static_cast<std::uint32_t>(entry.name.size()));
    u16(out, 0);
    out += entry.name;
    out += entry.data;
    // Central directory header.
    u32(directory, 0x02014b50);
    u16(directory, 20);
    u16(directory, 20);
    u16(directory, 0);
    u16(directory, method);
    u16(directory, 0);
    u16(directory, 0x21);
    u32(directory, entry.crc);
    u32(directory, static_cast<std::uint32_t>(entry.data.size()));
    u32(directory, static_cast<std::uint32_t>(entry.size));
    u16(directory, static_cast<std::uint32_t>(entry.name.size()));
    u16(directory, 0);  // extra
    u16(directory, 0);  // comment
    u16(directory, 0);  // disk
    u16(directory, 0);  // internal attributes
    u32(directory, 0);  // external attributes
    u32(directory, offset);
    directory += entry.name;
  }
  std::uint32_t directory_offset = static_cast<std::uint32_t>(out.size());
  out += directory;
  u32(out, 0x06054b50);
  u16(out, 0);
  u16(out, 0);
  u16(out, static_cast<std::uint32_t>(entries.size()));
  u16(out, static_cast<std::uint32_t>(entries.size()));
  u32(out, static_cast<std::uint32_t>(directory.size()));
  u32(out, directory_offset);
  u16(out, 0);
  write_bytes(path, out);
}

namespace {

void put16(std::string& out, unsigned v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}
void put16be(std::string& out, unsigned v) {
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}

struct TiffEntry {
  unsigned tag, type;
  std::uint32_t count;
  std::string value;  // raw little-endian bytes
};

// One IFD at `at` with its out-of-line values right after it.
std::string tiff_ifd(const std::vector<TiffEntry>& entries, std::uint32_t at) {
  std::string ifd;
  std::string data;
  std::uint32_t data_at = at + 2 + 12 * static_cast<std::uint32_t>(entries.size()) + 4;
  put16(ifd, static_cast<unsigned>(entries.size()));
  for (const auto& e : entries) {
    put16(ifd, e.tag);
    put16(ifd, e.type);
    put32(ifd, e.count);
    if (e.value.size() <= 4) {
      std::string inline_value = e.value;
      inline_value.resize(4, '\0');
      ifd += inline_value;
    } else {
      put32(ifd, data_at + static_cast<std::uint32_t>(data.size()));
      data += e.value;
      if (data.size() % 2) data += '\0';
    }
  }
  put32(ifd, 0);
  return ifd + data;
}

TiffEntry ascii(unsigned tag, const std::string& text) {
  return {tag, 2, static_cast<std::uint32_t>(text.size() + 1), text + std::string(1, '\0')};
}
TiffEntry pointer(unsigned tag, std::uint32_t at) {
  std::string v;
  put32(v, at);
  return {tag, 4, 1, v};
}
TiffEntry rationals(unsigned tag, std::vector<std::uint32_t> numbers) {
  std::string v;
  for (auto n : numbers) {
    put32(v, n);
    put32(v, 1);
  }
  return {tag, 5, static_cast<std::uint32_t>(numbers.size()), v};
}

// A little-endian TIFF structure: IFD0 (`ifd0` plus pointers), an EXIF IFD, a GPS IFD.
std::string tiff_block(std::vector<TiffEntry> ifd0, const std::vector<TiffEntry>& exif,
                       const std::vector<TiffEntry>& gps) {
  // Sizes first, so that the pointers are known.
  auto size_of = [](const std::vector<TiffEntry>& entries) {
    return static_cast<std::uint32_t>(tiff_ifd(entries, 0).size());
  };
  std::vector<TiffEntry> with_pointers = ifd0;
  if (!exif.empty()) with_pointers.push_back(pointer(0x8769, 0));
  if (!gps.empty()) with_pointers.push_back(pointer(0x8825, 0));
  std::uint32_t ifd0_size = size_of(with_pointers);
  std::uint32_t exif_at = 8 + ifd0_size;
  std::uint32_t gps_at = exif_at + (exif.empty() ? 0 : size_of(exif));
  if (!exif.empty()) ifd0.push_back(pointer(0x8769, exif_at));
  if (!gps.empty()) ifd0.push_back(pointer(0x8825, gps_at));
  std::string out = "II*";
  out += '\0';
  put32(out, 8);
  out += tiff_ifd(ifd0, 8);
  if (!exif.empty()) out += tiff_ifd(exif, exif_at);
  if (!gps.empty()) out += tiff_ifd(gps, gps_at);
  return out;
}

std::string segment(unsigned marker, const std::string& payload) {
  std::string out;
  out += '\xff';
  out += static_cast<char>(marker);
  put16be(out, static_cast<unsigned>(payload.size() + 2));
  return out + payload;
}

}  // namespace

std::string photo_jpeg(bool metadata) {
  std::string jpeg = "\xff\xd8";
  jpeg += segment(0xE0, std::string("JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 14));
  if (metadata) {
    std::string exif = std::string("Exif\0\0", 6) +
                       tiff_block({ascii(0x010F, "Canon"), ascii(0x0110, "Canon EOS R6"),
                                   ascii(0x013B, "Taro Yamada")},
                                  {ascii(0xA431, "012345678901")},
                                  {ascii(1, "N"), rationals(2, {35, 41, 22}), ascii(3, "E"),
                                   rationals(4, {139, 41, 30})});
    jpeg += segment(0xE1, exif);
    jpeg += segment(0xE1, std::string("http://ns.adobe.com/xap/1.0/\0", 29) +
                              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description "
                              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator><rdf:Seq>"
                              "<rdf:li>Taro Yamada</rdf:li></rdf:Seq></dc:creator>"
                              "</rdf:Description></rdf:RDF></x:xmpmeta>");
    std::string iptc = std::string("\x1c\x02\x50\x00\x0b", 5) + "Taro Yamada";
    std::string resource = std::string("8BIM\x04\x04\0\0", 8);
    put16be(resource, 0);
    put16be(resource, static_cast<unsigned>(iptc.size()));
    resource += iptc;
    if (resource.size() % 2) resource += '\0';
    jpeg += segment(0xED, std::string("Photoshop 3.0\0", 14) + resource);
  }
  jpeg += segment(0xE2, std::string("ICC_PROFILE\0\x01\x01", 14) + std::string(32, '\x11'));
  jpeg += segment(0xDB, std::string(1, '\0') + std::string(64, '\x01'));
  jpeg += segment(0xC0, std::string("\x08\x00\x01\x00\x01\x01\x01\x11\x00", 9));
  jpeg += segment(0xC4, std::string("\x00", 1) + std::string(16, '\0') );
  jpeg += segment(0xDA, std::string("\x01\x01\x00\x00\x3f\x00", 6));
  jpeg += std::string("\x7f\x12\x34\x56\x78\x9a\xbc\xde", 8);
  jpeg += "\xff\xd9";
  return jpeg;
}

std::string photo_tiff() {
  return tiff_block({ascii(0x013B, "Hanako Sato")}, {},
                    {ascii(1, "N"), rationals(2, {35, 0, 0}), ascii(3, "E"),
                     rationals(4, {135, 0, 0})});
}

std::string jpeg_scan_data(const std::string& jpeg) {
  std::size_t at = jpeg.find("\xff\xda");
  return at == std::string::npos ? std::string() : jpeg.substr(at);
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace kakehashi::inspect::testing

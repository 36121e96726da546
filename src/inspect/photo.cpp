#include "inspect/photo.h"

#include <algorithm>
#include <cstdint>
#include <set>

namespace kakehashi::inspect {

namespace {

constexpr std::string_view kExif("Exif\0\0", 6);
constexpr std::string_view kXmp("http://ns.adobe.com/xap/1.0/\0", 29);
constexpr std::string_view kXmpExtension("http://ns.adobe.com/xmp/extension/\0", 35);
constexpr std::string_view kPhotoshop("Photoshop 3.0\0", 14);
constexpr int kMaxIfds = 16;

void add_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// A TIFF structure (a whole TIFF file, or an EXIF block): byte order, IFDs.
class Tiff {
 public:
  explicit Tiff(std::string_view data) : d_(data) {
    if (d_.size() >= 8 && d_.substr(0, 4) == std::string_view("II*\0", 4)) {
      ok_ = true;
      little_ = true;
    } else if (d_.size() >= 8 && d_.substr(0, 4) == std::string_view("MM\0*", 4)) {
      ok_ = true;
    }
  }
  bool ok() const { return ok_; }
  std::uint32_t u16(std::size_t at) const {
    if (at + 2 > d_.size()) return 0;
    auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(d_[i])); };
    return little_ ? b(at) | (b(at + 1) << 8) : (b(at) << 8) | b(at + 1);
  }
  std::uint32_t u32(std::size_t at) const {
    if (at + 4 > d_.size()) return 0;
    return little_ ? u16(at) | (u16(at + 2) << 16) : (u16(at) << 16) | u16(at + 2);
  }
  std::size_t first_ifd() const { return u32(4); }

  struct Field {
    std::uint32_t tag, type, count;
    std::size_t value_at;  // where the value bytes are
    std::size_t size;      // how many bytes
    std::size_t entry_at;  // the 12-byte entry
  };
  // The fields of the IFD at `at` (empty when out of range).
  std::vector<Field> fields(std::size_t at) const {
    std::vector<Field> out;
    if (at == 0 || at + 2 > d_.size()) return out;
    std::uint32_t n = u16(at);
    if (at + 2 + static_cast<std::size_t>(n) * 12 > d_.size()) return out;
    static const std::size_t kSizes[] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};
    for (std::uint32_t i = 0; i < n; ++i) {
      std::size_t entry = at + 2 + static_cast<std::size_t>(i) * 12;
      Field f{u16(entry), u16(entry + 2), u32(entry + 4), 0, 0, entry};
      std::size_t unit = f.type < 13 ? kSizes[f.type] : 0;
      f.size = unit * f.count;
      if (f.size > d_.size()) f.size = 0;
      f.value_at = f.size <= 4 ? entry + 8 : u32(entry + 8);
      if (f.value_at + f.size > d_.size()) f.size = 0;
      out.push_back(f);
    }
    return out;
  }
  std::size_t next_ifd(std::size_t at) const {
    std::uint32_t n = u16(at);
    return u32(at + 2 + static_cast<std::size_t>(n) * 12);
  }
  std::string_view value(const Field& f) const { return d_.substr(f.value_at, f.size); }
  std::size_t pointer(const Field& f) const { return f.size >= 4 ? u32(f.value_at) : 0; }

 private:
  std::string_view d_;
  bool ok_ = false;
  bool little_ = false;
};

bool has_text(std::string_view value) {
  return std::any_of(value.begin(), value.end(),
                     [](char c) { return c != '\0' && c != ' '; });
}

// What a field means for the report; "" when nothing.
enum class Kind { kNone, kPerson, kCamera, kGps, kXmp, kIptc };

Kind ifd0_kind(std::uint32_t tag) {
  switch (tag) {
    case 0x013B:  // Artist
    case 0x8298:  // Copyright
    case 0x9C9D:  // XPAuthor
      return Kind::kPerson;
    case 0x010F:  // Make
    case 0x0110:  // Model
      return Kind::kCamera;
    case 0x02BC:  // XMP packet
      return Kind::kXmp;
    case 0x83BB:  // IPTC
      return Kind::kIptc;
    default:
      return Kind::kNone;
  }
}

Kind exif_kind(std::uint32_t tag) {
  switch (tag) {
    case 0xA430:  // CameraOwnerName
      return Kind::kPerson;
    case 0xA431:  // BodySerialNumber
    case 0xA435:  // LensSerialNumber
    case 0xA434:  // LensModel
    case 0xA433:  // LensMake
      return Kind::kCamera;
    default:
      return Kind::kNone;
  }
}

std::string tag_name(std::uint32_t tag) {
  switch (tag) {
    case 0x013B: return "Artist";
    case 0x8298: return "Copyright";
    case 0x9C9D: return "XPAuthor";
    case 0x010F: return "Make";
    case 0x0110: return "Model";
    case 0xA430: return "CameraOwnerName";
    case 0xA431: return "BodySerialNumber";
    case 0xA435: return "LensSerialNumber";
    case 0xA434: return "LensModel";
    case 0xA433: return "LensMake";
    default: return "tag";
  }
}

void read_xmp(std::string_view xmp, PhotoMetadata& out) {
  for (std::string_view field : {"dc:creator", "photoshop:AuthorsPosition", "photoshop:CaptionWriter",
                                 "xmpRights:Owner", "Iptc4xmpCore:CreatorContactInfo", "tiff:Artist",
                                 "aux:OwnerName", "exifEX:CameraOwnerName"}) {
    if (xmp.find(field) != std::string_view::npos) add_unique(out.people, "XMP " + std::string(field));
  }
  for (std::string_view field : {"aux:SerialNumber", "exifEX:BodySerialNumber", "tiff:Model",
                                 "exifEX:LensSerialNumber", "aux:LensSerialNumber"}) {
    if (xmp.find(field) != std::string_view::npos) add_unique(out.camera, "XMP " + std::string(field));
  }
  if (xmp.find("exif:GPSLatitude") != std::string_view::npos ||
      xmp.find("exif:GPSLongitude") != std::string_view::npos)
    out.gps = true;
}

// IPTC-IIM records: 2:80 By-line, 2:116 Copyright notice, 2:122 Writer/Editor, 2:118 Contact.
void read_iptc(std::string_view iptc, PhotoMetadata& out) {
  std::size_t at = 0;
  while (at + 5 <= iptc.size()) {
    if (static_cast<unsigned char>(iptc[at]) != 0x1C) {
      ++at;
      continue;
    }
    auto record = static_cast<unsigned char>(iptc[at + 1]);
    auto dataset = static_cast<unsigned char>(iptc[at + 2]);
    std::size_t length = (static_cast<std::size_t>(static_cast<unsigned char>(iptc[at + 3])) << 8) |
                         static_cast<unsigned char>(iptc[at + 4]);
    if (length & 0x8000) break;  // extended lengths: not in metadata we care about
    if (record == 2 && (dataset == 80 || dataset == 116 || dataset == 122 || dataset == 118) &&
        has_text(iptc.substr(at + 5, length))) {
      add_unique(out.people, dataset == 80    ? "IPTC By-line"
                             : dataset == 116 ? "IPTC Copyright"
                             : dataset == 122 ? "IPTC Writer"
                                              : "IPTC Contact");
    }
    at += 5 + length;
  }
}

// Photoshop image resources: 0x0404 is IPTC-IIM.
void read_photoshop(std::string_view data, PhotoMetadata& out) {
  std::size_t at = 0;
  while (at + 12 <= data.size() && data.substr(at, 4) == "8BIM") {
    auto u16 = [&](std::size_t i) {
      return (static_cast<std::size_t>(static_cast<unsigned char>(data[i])) << 8) |
             static_cast<unsigned char>(data[i + 1]);
    };
    std::size_t id = u16(at + 4);
    std::size_t name_length = static_cast<unsigned char>(data[at + 6]);
    std::size_t name_size = (name_length + 2) & ~std::size_t{1};
    std::size_t size_at = at + 6 + name_size;
    if (size_at + 4 > data.size()) break;
    std::size_t size = (u16(size_at) << 16) | u16(size_at + 2);
    std::size_t body = size_at + 4;
    if (body + size > data.size()) break;
    if (id == 0x0404) read_iptc(data.substr(body, size), out);
    at = body + size + (size & 1);
  }
}

// Walks a TIFF structure; `visit` gets every field with its kind.
template <typename Visit>
void walk_tiff(const Tiff& tiff, Visit visit) {
  std::set<std::size_t> seen;
  std::size_t ifd = tiff.first_ifd();
  for (int n = 0; n < kMaxIfds && ifd != 0 && seen.insert(ifd).second; ++n) {
    for (const auto& f : tiff.fields(ifd)) {
      if (f.tag == 0x8769) {  // EXIF IFD
        std::size_t exif = tiff.pointer(f);
        if (exif != 0 && seen.insert(exif).second) {
          for (const auto& e : tiff.fields(exif)) visit(e, exif_kind(e.tag));
        }
      } else if (f.tag == 0x8825) {  // GPS IFD
        std::size_t gps = tiff.pointer(f);
        if (gps != 0 && seen.insert(gps).second) {
          for (const auto& g : tiff.fields(gps)) {
            // 1-4: latitude and longitude with their references; 0 is only the version.
            visit(g, g.tag >= 1 && g.tag <= 4 ? Kind::kGps : Kind::kNone);
          }
        }
      } else {
        visit(f, ifd0_kind(f.tag));
      }
    }
    ifd = tiff.next_ifd(ifd);
  }
}

void read_tiff(std::string_view data, PhotoMetadata& out) {
  Tiff tiff(data);
  if (!tiff.ok()) return;
  walk_tiff(tiff, [&](const Tiff::Field& f, Kind kind) {
    std::string_view value = tiff.value(f);
    switch (kind) {
      case Kind::kPerson:
        if (has_text(value)) add_unique(out.people, tag_name(f.tag));
        break;
      case Kind::kCamera:
        if (has_text(value)) add_unique(out.camera, tag_name(f.tag));
        break;
      case Kind::kGps:
        if (f.size > 0 && value.find_first_not_of('\0') != std::string_view::npos) out.gps = true;
        break;
      case Kind::kXmp:
        read_xmp(value, out);
        break;
      case Kind::kIptc:
        read_iptc(value, out);
        break;
      case Kind::kNone:
        break;
    }
  });
}

bool is_jpeg(std::string_view bytes) {
  return bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
         static_cast<unsigned char>(bytes[1]) == 0xD8;
}

// Calls `segment(marker, start, end, payload)` for each marker segment before the scan data;
// returns where the scan data (SOS) starts, or npos for damaged data.
template <typename Segment>
std::size_t jpeg_segments(std::string_view bytes, Segment segment) {
  std::size_t at = 2;
  while (at + 4 <= bytes.size()) {
    if (static_cast<unsigned char>(bytes[at]) != 0xFF) return std::string_view::npos;
    auto marker = static_cast<unsigned char>(bytes[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return at;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      at += 2;
      continue;
    }
    std::size_t length = (static_cast<std::size_t>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
                         static_cast<unsigned char>(bytes[at + 3]);
    if (length < 2 || at + 2 + length > bytes.size()) return std::string_view::npos;
    segment(marker, at, at + 2 + length, bytes.substr(at + 4, length - 2));
    at += 2 + length;
  }
  return std::string_view::npos;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "、") + item;
  return out;
}

}  // namespace

void add_photo_findings(const PhotoMetadata& metadata, const std::string& location,
                        std::vector<Finding>& out) {
  if (metadata.gps) out.push_back(make_finding("image.gps", location, "（" + location + "）"));
  if (!metadata.people.empty())
    out.push_back(make_finding("image.person", location, join(metadata.people)));
  if (!metadata.camera.empty())
    out.push_back(make_finding("image.camera", location, join(metadata.camera)));
}

bool is_photo_name(std::string_view name) {
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.ends_with(".jpg") || lower.ends_with(".jpeg") || lower.ends_with(".jpe") ||
         lower.ends_with(".tif") || lower.ends_with(".tiff");
}

PhotoMetadata read_photo_metadata(std::string_view bytes) {
  PhotoMetadata out;
  if (is_jpeg(bytes)) {
    out.image = true;
    jpeg_segments(bytes, [&](unsigned char marker, std::size_t, std::size_t,
                             std::string_view payload) {
      if (marker == 0xE1 && payload.starts_with(kExif)) read_tiff(payload.substr(6), out);
      if (marker == 0xE1 && (payload.starts_with(kXmp) || payload.starts_with(kXmpExtension)))
        read_xmp(payload, out);
      if (marker == 0xED && payload.starts_with(kPhotoshop)) read_photoshop(payload.substr(14), out);
    });
  } else if (Tiff(bytes).ok()) {
    out.image = true;
    read_tiff(bytes, out);
  }
  return out;
}

std::optional<std::string> strip_photo_metadata(std::string_view bytes) {
  if (is_jpeg(bytes)) {
    std::string out(bytes.substr(0, 2));
    std::size_t copied = 2;
    bool removed = false;
    std::size_t scan = jpeg_segments(bytes, [&](unsigned char marker, std::size_t start,
                                                std::size_t end, std::string_view payload) {
      bool drop = (marker == 0xE1 && (payload.starts_with(kExif) || payload.starts_with(kXmp) ||
                                      payload.starts_with(kXmpExtension))) ||
                  marker == 0xED || marker == 0xFE;
      out.append(bytes.substr(copied, start - copied));
      if (!drop) out.append(bytes.substr(start, end - start));
      removed = removed || drop;
      copied = end;
    });
    if (scan == std::string_view::npos || !removed) return std::nullopt;
    out.append(bytes.substr(copied));  // the scan data and everything after, as it is
    return out;
  }
  Tiff tiff(bytes);
  if (!tiff.ok()) return std::nullopt;
  std::string out(bytes);
  bool removed = false;
  walk_tiff(tiff, [&](const Tiff::Field& f, Kind kind) {
    if (kind == Kind::kNone || f.size == 0) return;
    // Overwritten in place so that no offset moves: strings and positions become zeros, an
    // XMP packet spaces (still a well-formed, empty packet to readers that skip blanks).
    char fill = kind == Kind::kXmp ? ' ' : '\0';
    std::fill(out.begin() + static_cast<long>(f.value_at),
              out.begin() + static_cast<long>(f.value_at + f.size), fill);
    removed = true;
  });
  if (!removed || out == bytes) return std::nullopt;
  return out;
}

}  // namespace kakehashi::inspect

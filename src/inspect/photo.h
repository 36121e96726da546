// Metadata of photographs embedded in documents (issue 23 item 1): EXIF, XMP and IPTC in JPEG
// and TIFF images. Read for the inspector (image.gps, image.person, image.camera) and stripped
// by the cleaner without touching the compressed pixels.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inspect/finding.h"

namespace kakehashi::inspect {

struct PhotoMetadata {
  bool image = false;                // a JPEG or TIFF we could read
  bool gps = false;                  // a GPS position (latitude or longitude)
  std::vector<std::string> people;   // fields naming a person: "Artist", "IPTC By-line", ...
  std::vector<std::string> camera;   // camera fields: "Make", "BodySerialNumber", ...
  bool any() const { return gps || !people.empty() || !camera.empty(); }
};

// Reads the metadata of a JPEG (APP1 EXIF / XMP, APP13 IPTC) or TIFF (IFD0, EXIF and GPS IFDs,
// XMP and IPTC tags). Anything else, or damaged data, gives an empty result.
PhotoMetadata read_photo_metadata(std::string_view bytes);

// The same image without its metadata: a JPEG loses its APP1 (EXIF, XMP), APP13 (IPTC) and
// COM segments, every other segment and the entropy-coded data copied byte for byte (APP0
// JFIF, APP2 ICC profiles and APP14 stay); a TIFF keeps its layout, the values of person, camera
// and GPS fields and the XMP and IPTC blocks overwritten in place. nullopt when `bytes` is no
// JPEG or TIFF or has nothing to strip.
std::optional<std::string> strip_photo_metadata(std::string_view bytes);

// image.gps, image.person and image.camera for one image found at `location`.
void add_photo_findings(const PhotoMetadata& metadata, const std::string& location,
                        std::vector<Finding>& out);

// Whether a part or entry name looks like a JPEG or TIFF image.
bool is_photo_name(std::string_view name);

}  // namespace kakehashi::inspect

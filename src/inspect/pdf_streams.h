// Bounded decoding of PDF streams: finds decompression bombs without ever holding what a
// stream inflates to. Every stream is piped through a counter that stops at the limits below;
// nothing decoded is kept (issue 13 item 7).
#pragma once

#include <cstdint>
#include <optional>
#include <qpdf/QPDF.hh>
#include <string>
#include <string_view>

namespace kakehashi::inspect {

// One stream may decode to at most this many bytes (a 600 dpi A3 colour scan is ~210 MiB)...
inline constexpr std::uint64_t kMaxStreamDecodedBytes = 256ull << 20;
// ...and all streams of one file together to at most this.
inline constexpr std::uint64_t kMaxPdfDecodedBytes = 1ull << 30;
// A stream other than an image that decodes to more than kStreamRatioGraceBytes and more than
// kMaxStreamRatio times its encoded size is a bomb: one deflate layer never exceeds ~1030:1, so
// only stacked filters or a run of one byte get there. Images are exempt from the ratio (a blank
// scanned page compresses that well); they still meet the absolute limits.
inline constexpr std::uint64_t kMaxStreamRatio = 1000;
inline constexpr std::uint64_t kStreamRatioGraceBytes = 16ull << 20;
// Object streams and cross-reference streams are decoded whole into memory by qpdf itself, so
// they get a tighter limit (64 MiB of cross-reference entries is ~9 million objects).
inline constexpr std::uint64_t kMaxStructureStreamBytes = 64ull << 20;

// A stream that decodes past a limit.
struct StreamBomb {
  std::string where;   // for people: "オブジェクト 12 0" (the finding's location)
  std::string reason;  // Japanese, names the stream and the limit
};

// Before qpdf opens a file: inflates every cross-reference stream found in the raw bytes (qpdf
// would decode them whole while opening) through the counter.
std::optional<StreamBomb> find_xref_stream_bomb(std::string_view bytes);

// After opening: object streams first (qpdf decodes them whole when an object inside is first
// needed), then every other stream, each decoded through the counter at most once. Filters that
// do not expand much or that qpdf leaves encoded (DCT, JPX, JBIG2, CCITT) are not decoded; a
// chain such as [/FlateDecode /DCTDecode] has its leading Flate layer counted.
std::optional<StreamBomb> find_stream_bomb(QPDF& pdf);

// "256 MiB", "1 GiB": a limit for a message.
std::string size_label(std::uint64_t bytes);

}  // namespace kakehashi::inspect

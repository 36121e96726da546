#include "inspect/pdf_streams.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <qpdf/Pipeline.hh>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/Pl_RunLength.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFXRefEntry.hh>
#include <set>
#include <stdexcept>
#include <vector>

namespace kakehashi::inspect {

namespace {

// Thrown by Counter past its limit. qpdf catches it inside pipeStreamData (and reports the stream
// as not decodable); the counter remembers that the limit, not bad data, ended the decoding.
struct LimitReached : std::runtime_error {
  LimitReached() : std::runtime_error("decoded size limit reached") {}
};

// The end of a decode pipeline: counts bytes and drops them.
class Counter : public Pipeline {
 public:
  explicit Counter(std::uint64_t limit) : Pipeline("bounded decode", nullptr), limit_(limit) {}
  void write(unsigned char const*, size_t len) override {
    count_ += len;
    if (count_ > limit_) {
      exceeded_ = true;
      throw LimitReached();
    }
  }
  void finish() override {}
  std::uint64_t count() const { return count_; }
  bool exceeded() const { return exceeded_; }

 private:
  std::uint64_t limit_;
  std::uint64_t count_ = 0;
  bool exceeded_ = false;
};

std::vector<std::string> filter_names(QPDFObjectHandle dict) {
  std::vector<std::string> names;
  QPDFObjectHandle filter = dict.getKey("/Filter");
  if (filter.isName()) {
    names.push_back(filter.getName());
  } else if (filter.isArray()) {
    for (int i = 0; i < filter.getArrayNItems(); ++i) {
      QPDFObjectHandle item = filter.getArrayItem(i);
      names.push_back(item.isName() ? item.getName() : "");
    }
  }
  return names;
}

bool is_flate(const std::string& name) { return name == "/FlateDecode" || name == "/Fl"; }
bool is_run_length(const std::string& name) { return name == "/RunLengthDecode" || name == "/RL"; }

bool has_type(QPDFObjectHandle dict, const char* key, const char* value) {
  QPDFObjectHandle type = dict.getKey(key);
  return type.isName() && type.getName() == value;
}

class BombFinder {
 public:
  explicit BombFinder(QPDF& pdf) : pdf_(pdf) {}

  std::optional<StreamBomb> run() {
    // Object streams first: walking the objects below makes qpdf decode them whole.
    std::set<int> object_streams;
    for (const auto& [og, entry] : pdf_.getXRefTable()) {
      if (entry.getType() == 2) object_streams.insert(entry.getObjStreamNumber());
    }
    for (int number : object_streams) {
      QPDFObjectHandle stream = pdf_.getObjectByID(number, 0);
      if (!stream.isStream()) continue;
      if (auto bomb = check(stream, kMaxStructureStreamBytes, "オブジェクトストリーム"))
        return bomb;
    }
    for (auto& object : pdf_.getAllObjects()) {
      if (!object.isStream() || object_streams.contains(object.getObjectID())) continue;
      QPDFObjectHandle dict = object.getDict();
      bool structure = has_type(dict, "/Type", "/XRef");
      const char* kind = structure                            ? "相互参照ストリーム"
                         : has_type(dict, "/Subtype", "/Image") ? "画像"
                                                                : "ストリーム";
      if (auto bomb = check(object, structure ? kMaxStructureStreamBytes : kMaxStreamDecodedBytes,
                            kind)) {
        return bomb;
      }
    }
    return std::nullopt;
  }

 private:
  // Decodes `stream` through a counter; a bomb when it passes a limit.
  std::optional<StreamBomb> check(QPDFObjectHandle stream, std::uint64_t stream_limit,
                                  const char* kind) {
    QPDFObjectHandle dict = stream.getDict();
    std::vector<std::string> filters = filter_names(dict);
    // The leading filters we can decode ourselves if qpdf will not take the whole chain.
    std::size_t prefix = 0;
    while (prefix < filters.size() && (is_flate(filters[prefix]) || is_run_length(filters[prefix])))
      ++prefix;
    bool attempted = false;
    bool whole = !filters.empty() &&
                 stream.pipeStreamData(nullptr, &attempted, 0, qpdf_dl_specialized, true, false);
    if (!whole && prefix == 0) return std::nullopt;  // nothing here that expands

    QPDFObjectHandle length = dict.getKey("/Length");
    std::uint64_t encoded =
        length.isInteger() && length.getIntValue() > 0 ? std::uint64_t(length.getIntValue()) : 0;
    bool image = has_type(dict, "/Subtype", "/Image");
    std::uint64_t ratio_limit = image ? UINT64_MAX
                                      : std::max(kStreamRatioGraceBytes, encoded * kMaxStreamRatio);
    std::uint64_t file_left = kMaxPdfDecodedBytes - decoded_total_;
    std::uint64_t limit = std::min({stream_limit, ratio_limit, file_left});

    Counter counter(limit);
    if (whole) {
      stream.pipeStreamData(&counter, &attempted, 0, qpdf_dl_specialized, true, false);
    } else {
      // Raw bytes (decrypted) through our own Flate / RunLength decoders.
      std::vector<std::unique_ptr<Pipeline>> chain;
      Pipeline* next = &counter;
      for (std::size_t i = prefix; i-- > 0;) {
        if (is_flate(filters[i])) {
          chain.push_back(std::make_unique<Pl_Flate>("bounded inflate", next, Pl_Flate::a_inflate));
        } else {
          chain.push_back(
              std::make_unique<Pl_RunLength>("bounded run length", next, Pl_RunLength::a_decode));
        }
        next = chain.back().get();
      }
      try {
        stream.pipeStreamData(next, nullptr, 0, qpdf_dl_none, true, false);
      } catch (const std::bad_alloc&) {
        throw;
      } catch (const std::exception&) {
        // Bad data ends the decoding; the counter says whether a limit did.
      }
    }
    decoded_total_ += std::min(counter.count(), limit);
    if (!counter.exceeded()) return std::nullopt;

    StreamBomb bomb;
    bomb.where = fmt::format("オブジェクト {} {}", stream.getObjectID(), stream.getGeneration());
    std::string what = fmt::format("{}（{}）", kind, bomb.where);
    if (limit == file_left && file_left < std::min(stream_limit, ratio_limit)) {
      bomb.reason = fmt::format("{}まででファイル全体の展開後のサイズが上限 {} を超えます", what,
                                size_label(kMaxPdfDecodedBytes));
    } else if (limit == stream_limit) {
      bomb.reason =
          fmt::format("{}の展開後のサイズが上限 {} を超えます", what, size_label(stream_limit));
    } else {
      bomb.reason = fmt::format("{}が {} バイトから {} を超えて展開されます（上限は {} 倍）", what,
                                encoded, size_label(limit), kMaxStreamRatio);
    }
    return bomb;
  }

  QPDF& pdf_;
  std::uint64_t decoded_total_ = 0;
};

}  // namespace

std::string size_label(std::uint64_t bytes) {
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
    return fmt::format("{} GiB", bytes >> 30);
  if (bytes >= (1ull << 20)) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1ull << 10)) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} バイト", bytes);
}

std::optional<StreamBomb> find_xref_stream_bomb(std::string_view bytes) {
  std::uint64_t budget = kMaxPdfDecodedBytes;
  std::size_t at = 0;
  while ((at = bytes.find("/XRef", at)) != std::string_view::npos) {
    at += 5;
    std::size_t end_object = bytes.find("endobj", at);
    std::size_t keyword = bytes.find("stream", at);
    if (keyword == std::string_view::npos) break;
    if (end_object != std::string_view::npos && end_object < keyword) continue;
    std::size_t data = keyword + 6;
    if (data < bytes.size() && bytes[data] == '\r') ++data;
    if (data < bytes.size() && bytes[data] == '\n') ++data;
    std::size_t data_end = bytes.find("endstream", data);
    if (data_end == std::string_view::npos) data_end = bytes.size();
    std::uint64_t limit = std::min(kMaxStructureStreamBytes, budget);
    Counter counter(limit);
    try {
      Pl_Flate inflate("xref stream check", &counter, Pl_Flate::a_inflate);
      inflate.write(reinterpret_cast<const unsigned char*>(bytes.data() + data), data_end - data);
      inflate.finish();
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception&) {
      // Not Flate data, or damaged: qpdf will say so (or recover) when it opens the file.
    }
    if (counter.exceeded()) {
      return StreamBomb{"相互参照ストリーム",
                        limit == kMaxStructureStreamBytes
                            ? fmt::format("相互参照ストリームの展開後のサイズが上限 {} を超えます",
                                          size_label(kMaxStructureStreamBytes))
                            : fmt::format("ファイル全体の展開後のサイズが上限 {} を超えます",
                                          size_label(kMaxPdfDecodedBytes))};
    }
    budget -= counter.count();
    at = data_end;
  }
  return std::nullopt;
}

std::optional<StreamBomb> find_stream_bomb(QPDF& pdf) { return BombFinder(pdf).run(); }

}  // namespace kakehashi::inspect

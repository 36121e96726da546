#include "web/multipart.h"

#include <fcntl.h>
#include <magic.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include <fmt/format.h>

#include "base/text.h"
#include "web/content_disposition.h"

namespace kakehashi::web {

namespace {

constexpr std::string_view kCrlf = "\r\n";
// Spaces or tabs allowed after a boundary before its CRLF (RFC 2046 transport padding).
constexpr size_t kMaxTransportPadding = 256;
// sanitize_client_filename(): the longest name most file systems accept, in bytes.
constexpr size_t kMaxFilenameBytes = 255;
// U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069 in UTF-8.
constexpr std::string_view kBidiControls[] = {
    "\xD8\x9C", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA", "\xE2\x80\xAB",
    "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7",
    "\xE2\x81\xA8", "\xE2\x81\xA9"};

// RFC 2046 bchars.
bool is_boundary_char(char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Boundary and parser

Result<std::string> multipart_boundary(std::string_view content_type) {
  auto parsed = parse_parameterized_value(content_type);
  if (!parsed || parsed->type != "multipart/form-data") {
    return fail(Error::invalid("Content-Type が multipart/form-data ではありません"));
  }
  const std::string* boundary = parsed->find("boundary");
  if (boundary == nullptr || boundary->empty()) {
    return fail(Error::invalid("multipart の boundary がありません"));
  }
  if (boundary->size() > kMaxBoundaryLength) {
    return fail(Error::invalid(
        fmt::format("multipart の boundary が長すぎます（上限 {} 文字）", kMaxBoundaryLength)));
  }
  if (!std::all_of(boundary->begin(), boundary->end(), is_boundary_char) || boundary->back() == ' ') {
    return fail(Error::invalid("multipart の boundary に使えない文字が含まれています"));
  }
  return *boundary;
}

Result<MultipartParser> MultipartParser::create(std::string_view content_type,
                                                MultipartHandler& handler,
                                                const MultipartLimits& limits) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return fail(boundary.error());
  return MultipartParser(std::move(*boundary), handler, limits);
}

MultipartParser::MultipartParser(std::string boundary, MultipartHandler& handler,
                                 const MultipartLimits& limits)
    : delimiter_("\r\n--" + boundary), handler_(&handler), limits_(limits) {
  // The first boundary may open the body without a CRLF before it: pretend there was one.
  buffer_ = kCrlf;
}

Result<void> MultipartParser::failed(Error error) {
  state_ = State::kFailed;
  error_ = error;
  buffer_.clear();
  return fail(std::move(error));
}

Result<void> MultipartParser::over_limit(std::string message) {
  limit_exceeded_ = true;
  return failed(Error::invalid(std::move(message)));
}

Result<void> MultipartParser::feed(std::string_view chunk) {
  if (state_ == State::kFailed) return fail(*error_);
  if (state_ == State::kEpilogue) return {};
  buffer_.append(chunk);
  return run();
}

Result<void> MultipartParser::finish() {
  if (state_ == State::kFailed) return fail(*error_);
  if (state_ != State::kEpilogue) {
    return failed(Error::invalid(
        "multipart の終端の区切りがありません（送信が途中で切れた可能性があります）"));
  }
  return {};
}

Result<void> MultipartParser::run() {
  size_t pos = 0;
  const size_t keep = delimiter_.size() - 1;  // the longest partial delimiter
  bool need_more = false;
  while (!need_more) {
    std::string_view rest = std::string_view(buffer_).substr(pos);
    switch (state_) {
      case State::kPreamble: {
        size_t found = rest.find(delimiter_);
        size_t consumed = found == std::string_view::npos
                              ? (rest.size() > keep ? rest.size() - keep : 0)
                              : found;
        preamble_bytes_ += consumed;
        // The CRLF put in front by the constructor is not the client's.
        if (preamble_bytes_ > limits_.max_preamble_bytes + kCrlf.size()) {
          return over_limit("multipart の最初の区切りが見つかりません");
        }
        if (found == std::string_view::npos) {
          pos += consumed;
          need_more = true;
        } else {
          pos += found + delimiter_.size();
          state_ = State::kAfterDelimiter;
          padding_bytes_ = 0;
        }
        break;
      }
      case State::kAfterDelimiter: {
        if (rest.size() < 2) {
          need_more = true;
          break;
        }
        if (padding_bytes_ == 0 && rest.starts_with("--")) {
          state_ = State::kEpilogue;
          pos = buffer_.size();
          break;
        }
        if (rest.starts_with(kCrlf)) {
          pos += kCrlf.size();
          if (auto begun = begin_part(); !begun) return begun;
          break;
        }
        if (rest[0] == ' ' || rest[0] == '\t') {
          if (++padding_bytes_ > kMaxTransportPadding) {
            return failed(Error::invalid("multipart の区切り行の形式が正しくありません"));
          }
          ++pos;
          break;
        }
        return failed(Error::invalid("multipart の区切り行の形式が正しくありません"));
      }
      case State::kHeaders: {
        size_t end = rest.find(kCrlf);
        size_t line_bytes = end == std::string_view::npos ? rest.size() : end + kCrlf.size();
        if (header_bytes_ + line_bytes > limits_.max_part_header_bytes) {
          return over_limit(fmt::format("multipart の部分のヘッダーが大きすぎます（上限 {} バイト）",
                                        limits_.max_part_header_bytes));
        }
        if (end == std::string_view::npos) {
          need_more = true;
          break;
        }
        header_bytes_ += line_bytes;
        pos += line_bytes;
        if (end == 0) {  // the blank line: headers complete
          if (!disposition_header_) {
            return failed(Error::invalid("multipart の部分に Content-Disposition がありません"));
          }
          auto disposition = parse_form_data_disposition(*disposition_header_);
          if (!disposition) return failed(disposition.error());
          PartInfo part;
          part.name = std::move(disposition->name);
          part.filename = std::move(disposition->filename);
          part.content_type = content_type_header_.value_or("");
          part_is_file_ = part.is_file();
          part_bytes_ = 0;
          state_ = State::kBody;
          if (auto begun = handler_->on_part_begin(part); !begun) return failed(begun.error());
          break;
        }
        if (auto parsed = parse_header_line(rest.substr(0, end)); !parsed) return parsed;
        break;
      }
      case State::kBody: {
        size_t found = rest.find(delimiter_);
        if (found == std::string_view::npos) {
          size_t safe = rest.size() > keep ? rest.size() - keep : 0;
          if (auto emitted = emit_data(rest.substr(0, safe)); !emitted) return emitted;
          pos += safe;
          need_more = true;
          break;
        }
        if (auto emitted = emit_data(rest.substr(0, found)); !emitted) return emitted;
        pos += found + delimiter_.size();
        state_ = State::kAfterDelimiter;
        padding_bytes_ = 0;
        if (auto ended = handler_->on_part_end(); !ended) return failed(ended.error());
        break;
      }
      case State::kEpilogue:
        pos = buffer_.size();
        need_more = true;
        break;
      case State::kFailed:
        return fail(*error_);
    }
  }
  buffer_.erase(0, pos);
  return {};
}

Result<void> MultipartParser::begin_part() {
  if (parts_ == limits_.max_parts) {
    return over_limit(fmt::format("multipart の部分の数が上限（{}）を超えています", limits_.max_parts));
  }
  ++parts_;
  state_ = State::kHeaders;
  header_bytes_ = 0;
  header_lines_ = 0;
  disposition_header_.reset();
  content_type_header_.reset();
  return {};
}

Result<void> MultipartParser::parse_header_line(std::string_view line) {
  if (++header_lines_ > limits_.max_part_headers) {
    return over_limit(fmt::format("multipart の部分のヘッダーの数が上限（{}）を超えています",
                                  limits_.max_part_headers));
  }
  if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
    return failed(Error::invalid("multipart の部分のヘッダーの改行が CRLF ではありません"));
  }
  size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos || line[0] == ' ' || line[0] == '\t') {
    return failed(Error::invalid("multipart の部分のヘッダーの形式が正しくありません"));
  }
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim_blanks(line.substr(colon + 1));
  if (iequals(name, "Content-Disposition")) {
    if (disposition_header_) {
      return failed(Error::invalid("multipart の部分に Content-Disposition が複数あります"));
    }
    disposition_header_ = std::string(value);
  } else if (iequals(name, "Content-Type")) {
    if (content_type_header_) {
      return failed(Error::invalid("multipart の部分に Content-Type が複数あります"));
    }
    if (!parse_parameterized_value(value) || !text::is_valid_utf8(value)) {
      return failed(Error::invalid("multipart の部分の Content-Type の形式が正しくありません"));
    }
    content_type_header_ = std::string(value);
  }
  return {};
}

Result<void> MultipartParser::emit_data(std::string_view bytes) {
  if (bytes.empty()) return {};
  part_bytes_ += bytes.size();
  if (part_is_file_) {
    file_bytes_ += bytes.size();
    if (file_bytes_ > limits_.max_file_bytes) {
      return over_limit(fmt::format("アップロードするファイルの合計が大きすぎます（上限 {} バイト）",
                                    limits_.max_file_bytes));
    }
  } else if (part_bytes_ > limits_.max_field_bytes) {
    return over_limit(fmt::format("フォームの値が長すぎます（上限 {} バイト）", limits_.max_field_bytes));
  }
  if (auto delivered = handler_->on_part_data(bytes); !delivered) return failed(delivered.error());
  return {};
}

// ---------------------------------------------------------------------------------------------
// File names

std::string sanitize_client_filename(std::string_view name) {
  std::string clean = printable_utf8(name);
  // Bidirectional controls make "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
  for (std::string_view control : kBidiControls) {
    for (size_t at = clean.find(control); at != std::string::npos; at = clean.find(control, at)) {
      clean.erase(at, control.size());
    }
  }
  size_t slash = clean.find_last_of("/\\");
  if (slash != std::string::npos) clean.erase(0, slash + 1);
  for (char& c : clean) {
    if (std::string_view("<>:\"|?*").find(c) != std::string_view::npos) c = '_';
  }
  std::string result(text::trim(clean));
  if (result.find_first_not_of('.') == std::string::npos) return "file";
  if (result.size() > kMaxFilenameBytes) {
    std::string extension;
    size_t dot = result.rfind('.');
    if (dot != std::string::npos && dot > 0 && result.size() - dot <= 16) extension = result.substr(dot);
    // Cut on a code point boundary so the name stays valid UTF-8.
    size_t cut = kMaxFilenameBytes - extension.size();
    while (cut > 0 && (static_cast<unsigned char>(result[cut]) & 0xC0) == 0x80) --cut;
    result = result.substr(0, cut) + extension;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Quarantine sink

namespace {

struct MagicCloser {
  void operator()(magic_set* cookie) const { magic_close(cookie); }
};
struct DigestFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

std::string hex(const unsigned char* bytes, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 15]);
  }
  return out;
}

Error storage_error() {
  return Error::unavailable("アップロードされたファイルを保存できませんでした");
}

}  // namespace

struct QuarantineSink::Impl {
  QuarantineOptions options;
  std::unique_ptr<magic_set, MagicCloser> magic;
  MultipartUpload upload;
  bool taken = false;
  bool text_limit_exceeded = false;
  size_t text_bytes = 0;

  // The part being received.
  PartInfo part;
  std::string text;
  int fd = -1;
  std::filesystem::path path;
  std::unique_ptr<EVP_MD_CTX, DigestFree> digest;
  uint64_t size = 0;

  Result<void> create_file() {
    unsigned char random[16];
    if (RAND_bytes(random, sizeof random) != 1) return fail(storage_error());
    path = options.directory / ("upload-" + hex(random, sizeof random));
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
      path.clear();
      return fail(storage_error());
    }
    digest.reset(EVP_MD_CTX_new());
    if (!digest || EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr) != 1) {
      return fail(storage_error());
    }
    return {};
  }

  Result<void> write_file(std::string_view bytes) {
    if (EVP_DigestUpdate(digest.get(), bytes.data(), bytes.size()) != 1) return fail(storage_error());
    size += bytes.size();
    while (!bytes.empty()) {
      ssize_t written = ::write(fd, bytes.data(), bytes.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return fail(storage_error());
      bytes.remove_prefix(static_cast<size_t>(written));
    }
    return {};
  }

  // Closes the current file and forgets it (and removes it when `remove`).
  void close_file(bool remove) {
    if (fd >= 0) ::close(fd);
    fd = -1;
    if (remove && !path.empty()) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
    path.clear();
    digest.reset();
  }
};

QuarantineSink::QuarantineSink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

QuarantineSink::~QuarantineSink() {
  if (!impl_->taken) discard();
}

Result<std::unique_ptr<QuarantineSink>> QuarantineSink::open(const QuarantineOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_directory(options.directory, error)) {
    std::filesystem::create_directories(options.directory, error);
    if (error) {
      return fail(Error::unavailable("アップロードの一時保管場所を作成できません"));
    }
    std::filesystem::permissions(options.directory, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, error);
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->magic.reset(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
  if (!impl->magic || magic_load(impl->magic.get(), nullptr) != 0) {
    return fail(Error::unavailable("ファイル形式の判定（libmagic）を初期化できません"));
  }
  return std::unique_ptr<QuarantineSink>(new QuarantineSink(std::move(impl)));
}

Result<void> QuarantineSink::on_part_begin(const PartInfo& part) {
  impl_->part = part;
  impl_->text.clear();
  impl_->size = 0;
  return {};
}

Result<void> QuarantineSink::on_part_data(std::string_view bytes) {
  Impl& s = *impl_;
  if (!s.part.is_file()) {
    s.text_bytes += bytes.size();
    if (s.text_bytes > s.options.max_text_bytes) {
      s.text_limit_exceeded = true;
      return fail(Error::invalid(fmt::format(
          "フォームの値の合計が大きすぎます（上限 {} バイト）", s.options.max_text_bytes)));
    }
    s.text.append(bytes);
    return {};
  }
  if (s.fd < 0) {
    if (auto created = s.create_file(); !created) return created;
  }
  return s.write_file(bytes);
}

Result<void> QuarantineSink::on_part_end() {
  Impl& s = *impl_;
  if (!s.part.is_file()) {
    if (!text::is_valid_utf8(s.text)) {
      return fail(Error::invalid("フォームの値が UTF-8 ではありません: " + s.part.name));
    }
    s.upload.fields.add(s.part.name, std::move(s.text));
    s.text.clear();
    return {};
  }
  if (s.fd < 0) {
    // A file input left empty: the browser sends filename="" and no bytes.
    if (s.part.filename->empty()) return {};
    if (auto created = s.create_file(); !created) return created;
  }
  if (::fsync(s.fd) != 0) return fail(storage_error());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_DigestFinal_ex(s.digest.get(), digest, &digest_size) != 1) return fail(storage_error());
  QuarantinedFile file;
  file.field_name = s.part.name;
  file.stored_path = s.path;
  file.original_name = sanitize_client_filename(*s.part.filename);
  file.declared_type = s.part.content_type;
  file.size = s.size;
  file.sha256 = hex(digest, digest_size);
  const char* sniffed = magic_file(s.magic.get(), s.path.c_str());
  file.sniffed_type = sniffed != nullptr ? sniffed : "application/octet-stream";
  // Stored and accounted for: from here discard() removes it through `upload.files`.
  ::close(s.fd);
  s.fd = -1;
  s.path.clear();
  s.digest.reset();
  s.upload.files.push_back(std::move(file));
  return {};
}

bool QuarantineSink::limit_exceeded() const { return impl_->text_limit_exceeded; }

MultipartUpload QuarantineSink::take() {
  impl_->taken = true;
  return std::move(impl_->upload);
}

void QuarantineSink::discard() {
  impl_->close_file(true);
  for (const auto& file : impl_->upload.files) {
    std::error_code ignored;
    std::filesystem::remove(file.stored_path, ignored);
  }
  impl_->upload.files.clear();
}

// ---------------------------------------------------------------------------------------------
// QuarantineUpload

QuarantineUpload::QuarantineUpload(std::unique_ptr<QuarantineSink> sink, MultipartParser parser)
    : sink_(std::move(sink)), parser_(std::move(parser)) {}
QuarantineUpload::QuarantineUpload(QuarantineUpload&&) noexcept = default;
QuarantineUpload& QuarantineUpload::operator=(QuarantineUpload&&) noexcept = default;
QuarantineUpload::~QuarantineUpload() = default;

Result<QuarantineUpload> QuarantineUpload::start(std::string_view content_type,
                                                 const QuarantineOptions& options,
                                                 const MultipartLimits& limits) {
  // Check the header before touching the disk or loading libmagic.
  if (auto boundary = multipart_boundary(content_type); !boundary) return fail(boundary.error());
  auto sink = QuarantineSink::open(options);
  if (!sink) return fail(sink.error());
  auto parser = MultipartParser::create(content_type, **sink, limits);
  if (!parser) return fail(parser.error());
  return QuarantineUpload(std::move(*sink), std::move(*parser));
}

bool QuarantineUpload::limit_exceeded() const {
  return parser_.limit_exceeded() || sink_->limit_exceeded();
}

Result<void> QuarantineUpload::feed(std::string_view chunk) {
  auto fed = parser_.feed(chunk);
  if (!fed) sink_->discard();
  return fed;
}

Result<MultipartUpload> QuarantineUpload::finish() {
  if (auto finished = parser_.finish(); !finished) {
    sink_->discard();
    return fail(finished.error());
  }
  return sink_->take();
}

}  // namespace kakehashi::web

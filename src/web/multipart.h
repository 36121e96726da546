// Streaming multipart/form-data (RFC 7578, RFC 2046 section 5.1) for uploads: the body is fed in
// chunks of any size as it arrives from the socket and parts are handed on as events, so a
// 100 MiB upload never sits in memory. QuarantineUpload puts the parser on top of a sink that
// streams each file to a quarantine directory under a server-chosen name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "web/form_urlencoded.h"

namespace kakehashi::web {

// RFC 2046: a boundary is 1 to 70 characters.
inline constexpr size_t kMaxBoundaryLength = 70;

// Bounds applied while parsing one multipart body. The server's per-route body limit bounds
// the whole body before any of these.
struct MultipartLimits {
  // Parts (text fields and files together).
  size_t max_parts = 100;
  // The header block of one part, in bytes (lines and their CRLFs).
  size_t max_part_header_bytes = 8 * 1024;
  // Header lines in one part (a browser sends two: Content-Disposition and Content-Type).
  size_t max_part_headers = 16;
  // One text (non-file) field's value, in bytes.
  size_t max_field_bytes = 256 * 1024;
  // All file parts together, in bytes (the upload limit of issue 2).
  uint64_t max_file_bytes = 100ull * 1024 * 1024;
  // Bytes before the first boundary (browsers send none).
  size_t max_preamble_bytes = 16 * 1024;
};

// What a part's headers said.
struct PartInfo {
  std::string name;                     // Content-Disposition name, UTF-8
  std::optional<std::string> filename;  // the client's file name (filename* wins), unsanitised
  std::string content_type;             // Content-Type as sent, trimmed; empty when absent
  bool is_file() const { return filename.has_value(); }
};

// Receives the parts in order: begin, zero or more data chunks, end. Returning an error aborts
// the parse with that error (for instance a disk write failure).
class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;
  virtual Result<void> on_part_begin(const PartInfo& part) = 0;
  virtual Result<void> on_part_data(std::string_view bytes) = 0;
  virtual Result<void> on_part_end() = 0;
};

// The boundary parameter of a multipart/form-data Content-Type header (quoted or not). Fails
// (Error::invalid) when the type is another one, or the boundary is missing, longer than
// kMaxBoundaryLength or holds a character RFC 2046 does not allow.
[[nodiscard]] Result<std::string> multipart_boundary(std::string_view content_type);

// The push parser. Line breaks must be CRLF as RFC 7578 requires; bare CR or LF inside part
// data is data. Once feed() or finish() has failed, every later call returns the same error.
class MultipartParser {
 public:
  // `handler` must outlive the parser.
  [[nodiscard]] static Result<MultipartParser> create(std::string_view content_type,
                                                      MultipartHandler& handler,
                                                      const MultipartLimits& limits = {});

  // Consumes the next bytes of the body; a boundary may straddle chunks. Events for the parts
  // completed by these bytes are delivered before it returns.
  [[nodiscard]] Result<void> feed(std::string_view chunk);

  // Call after the last chunk: fails when the closing boundary ("--boundary--") never came.
  [[nodiscard]] Result<void> finish();

  // True once the closing boundary has been read (later bytes are the ignored epilogue).
  bool complete() const { return state_ == State::kEpilogue; }

  // True when the parse failed because a MultipartLimits bound was passed (the server answers
  // 413 rather than 400).
  bool limit_exceeded() const { return limit_exceeded_; }

 private:
  enum class State { kPreamble, kAfterDelimiter, kHeaders, kBody, kEpilogue, kFailed };

  MultipartParser(std::string boundary, MultipartHandler& handler, const MultipartLimits& limits);
  Result<void> run();
  Result<void> parse_header_line(std::string_view line);
  Result<void> begin_part();
  Result<void> emit_data(std::string_view bytes);
  Result<void> failed(Error error);
  Result<void> over_limit(std::string message);

  std::string delimiter_;  // CRLF "--" boundary
  MultipartHandler* handler_;
  MultipartLimits limits_;
  State state_ = State::kPreamble;
  std::optional<Error> error_;
  bool limit_exceeded_ = false;
  std::string buffer_;  // unconsumed bytes; at most a partial delimiter or header block
  size_t preamble_bytes_ = 0;
  size_t parts_ = 0;
  size_t header_bytes_ = 0;
  size_t header_lines_ = 0;
  size_t padding_bytes_ = 0;
  std::optional<std::string> disposition_header_;
  std::optional<std::string> content_type_header_;
  bool part_is_file_ = false;
  uint64_t part_bytes_ = 0;
  uint64_t file_bytes_ = 0;
};

// The client's file name made safe to keep as metadata and to show: the last path component
// only (after '/' or '\\'), control and bidirectional-override characters dropped, <>:"|?*
// replaced by '_', white space trimmed, at most 255 bytes (the extension kept), and "file" when
// nothing usable is left (empty, "." or "..").
std::string sanitize_client_filename(std::string_view name);

// Where QuarantineUpload puts things.
struct QuarantineOptions {
  // Created (mode 0700) when missing. Files inside are named by the server, mode 0600.
  std::filesystem::path directory;
  // All text fields of one upload together, in bytes.
  size_t max_text_bytes = 1024 * 1024;
};

// One file part as stored in quarantine.
struct QuarantinedFile {
  std::string field_name;
  std::filesystem::path stored_path;  // directory / "upload-<32 random hex digits>"
  std::string original_name;          // sanitize_client_filename() of the client's name
  std::string declared_type;          // the part's Content-Type as sent (not trusted)
  std::string sniffed_type;           // libmagic's MIME type of the content
  uint64_t size = 0;
  std::string sha256;  // lowercase hex
};

struct MultipartUpload {
  FormFields fields;                  // text fields in body order
  std::vector<QuarantinedFile> files;  // file parts in body order
};

// A MultipartHandler that streams file parts to the quarantine directory (computing SHA-256 on
// the way and sniffing the type with libmagic at the part's end) and keeps text fields in memory
// (bounded, UTF-8 checked). Until take() is called it owns the files it stored: discard() or the
// destructor removes them.
class QuarantineSink final : public MultipartHandler {
 public:
  // Fails with Error::unavailable when the directory cannot be created or libmagic cannot load
  // its database.
  [[nodiscard]] static Result<std::unique_ptr<QuarantineSink>> open(const QuarantineOptions& options);
  ~QuarantineSink() override;
  QuarantineSink(const QuarantineSink&) = delete;
  QuarantineSink& operator=(const QuarantineSink&) = delete;

  Result<void> on_part_begin(const PartInfo& part) override;
  Result<void> on_part_data(std::string_view bytes) override;
  Result<void> on_part_end() override;

  // Hands over the fields and files; the sink no longer removes the files.
  MultipartUpload take();
  // Removes every file stored so far (and the one being written).
  void discard();
  // True when on_part_data() refused text beyond QuarantineOptions::max_text_bytes.
  bool limit_exceeded() const;

 private:
  struct Impl;
  explicit QuarantineSink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parser + quarantine sink: the server calls start() once the headers are read and the user is
// authorised, feed() per body chunk, finish() at the end of the body. A file input left empty
// (filename="" and no bytes) stores nothing. If any step fails, or the object is destroyed
// before finish() succeeds, every file it stored is removed. After finish() the files belong to
// the caller (move them into storage or delete them).
class QuarantineUpload {
 public:
  [[nodiscard]] static Result<QuarantineUpload> start(std::string_view content_type,
                                                      const QuarantineOptions& options,
                                                      const MultipartLimits& limits = {});
  QuarantineUpload(QuarantineUpload&&) noexcept;
  QuarantineUpload& operator=(QuarantineUpload&&) noexcept;
  ~QuarantineUpload();

  [[nodiscard]] Result<void> feed(std::string_view chunk);
  [[nodiscard]] Result<MultipartUpload> finish();

  // True when feed() failed because a MultipartLimits bound or max_text_bytes was passed.
  bool limit_exceeded() const;

 private:
  QuarantineUpload(std::unique_ptr<QuarantineSink> sink, MultipartParser parser);

  std::unique_ptr<QuarantineSink> sink_;
  MultipartParser parser_;
};

}  // namespace kakehashi::web

#include "web/multipart.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::web {
namespace {

constexpr std::string_view kContentType = "multipart/form-data; boundary=XyZ";

// Records the events as a readable log; adjacent data chunks are joined, so the log does not
// depend on how the body was split.
class Recorder : public MultipartHandler {
 public:
  Result<void> on_part_begin(const PartInfo& part) override {
    log.push_back("begin " + part.name + (part.filename ? " file=" + *part.filename : "") +
                  (part.content_type.empty() ? "" : " type=" + part.content_type));
    in_data = false;
    return {};
  }
  Result<void> on_part_data(std::string_view bytes) override {
    EXPECT_FALSE(bytes.empty());
    if (!in_data) log.push_back("data ");
    log.back().append(bytes);
    in_data = true;
    ++chunks;
    return {};
  }
  Result<void> on_part_end() override {
    log.push_back("end");
    in_data = false;
    return {};
  }
  std::vector<std::string> log;
  bool in_data = false;
  int chunks = 0;
};

// Data with everything that looks like a delimiter but is not one.
const std::string kTrickyData =
    "--XyZ at line start\r\n-XyZ\r\n--Xy\r\n\r--XyZ\n--XyZ\r\n--xyz\r\n--X\r\n\r\n";

std::string sample_body() {
  return "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"title\"\r\n"
         "\r\n"
         "事業計画\r\n"
         "--XyZ\r\n"
         "content-disposition: form-data; name=\"file\"; filename=\"計画書.pdf\"\r\n"
         "Content-Type: application/pdf\r\n"
         "\r\n" +
         kTrickyData +
         "\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"empty\"\r\n"
         "\r\n"
         "\r\n"
         "--XyZ--\r\n";
}

const std::vector<std::string> kSampleLog = {
    "begin title", "data 事業計画", "end",
    "begin file file=計画書.pdf type=application/pdf", "data " + kTrickyData, "end",
    "begin empty", "end"};

Result<std::vector<std::string>> parse_in_pieces(std::string_view body,
                                                 const std::vector<size_t>& cuts,
                                                 const MultipartLimits& limits = {},
                                                 std::string_view content_type = kContentType) {
  Recorder recorder;
  auto parser = MultipartParser::create(content_type, recorder, limits);
  if (!parser) return fail(parser.error());
  size_t start = 0;
  for (size_t cut : cuts) {
    if (auto fed = parser->feed(body.substr(start, cut - start)); !fed) return fail(fed.error());
    start = cut;
  }
  if (auto fed = parser->feed(body.substr(start)); !fed) return fail(fed.error());
  if (auto finished = parser->finish(); !finished) return fail(finished.error());
  return recorder.log;
}

Error parse_error(std::string_view body, const MultipartLimits& limits = {}) {
  auto parsed = parse_in_pieces(body, {}, limits);
  EXPECT_FALSE(parsed);
  return parsed ? Error{} : parsed.error();
}

TEST(MultipartBoundary, FromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk").value(),
            "----WebKitFormBoundary7MA4YWxk");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b'()+_,-./:=?\"").value(),
            "a b'()+_,-./:=?");
  std::string seventy(70, 'b');
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + seventy).value(), seventy);
}

TEST(MultipartBoundary, Errors) {
  ExpectError(multipart_boundary("application/x-www-form-urlencoded"), ErrorCode::kInvalidArgument,
              "Content-Type が multipart/form-data ではありません");
  ExpectError(multipart_boundary("multipart/mixed; boundary=a"), ErrorCode::kInvalidArgument,
              "Content-Type が multipart/form-data ではありません");
  ExpectError(multipart_boundary("multipart/form-data"), ErrorCode::kInvalidArgument,
              "multipart の boundary がありません");
  ExpectError(multipart_boundary("multipart/form-data; boundary=\"\""), ErrorCode::kInvalidArgument,
              "multipart の boundary がありません");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'b')).error().message,
            "multipart の boundary が長すぎます（上限 70 文字）");
  for (const char* bad : {"multipart/form-data; boundary=\"a\\\"b\"", "multipart/form-data; boundary=\"ab \"",
                          "multipart/form-data; boundary=\"a\xe3\x81\x82\""}) {
    SCOPED_TRACE(bad);
    ExpectError(multipart_boundary(bad), ErrorCode::kInvalidArgument,
                "multipart の boundary に使えない文字が含まれています");
  }
}

TEST(MultipartParser, WholeBodyInOneChunk) {
  auto log = parse_in_pieces(sample_body(), {});
  ASSERT_OK(log);
  EXPECT_EQ(*log, kSampleLog);
}

TEST(MultipartParser, EverySplitPosition) {
  const std::string body = sample_body();
  for (size_t cut = 0; cut <= body.size(); ++cut) {
    auto log = parse_in_pieces(body, {cut});
    ASSERT_TRUE(log) << "cut at " << cut << ": " << log.error().message;
    ASSERT_EQ(*log, kSampleLog) << "cut at " << cut;
  }
}

TEST(MultipartParser, EveryPairOfSplitPositionsAroundTheFileData) {
  const std::string body = sample_body();
  size_t from = body.find("Content-Type: application/pdf");
  size_t to = body.find("name=\"empty\"");
  for (size_t first = from; first < to; first += 3) {
    for (size_t second = first; second < to; second += 5) {
      auto log = parse_in_pieces(body, {first, second});
      ASSERT_TRUE(log) << first << "," << second << ": " << log.error().message;
      ASSERT_EQ(*log, kSampleLog) << first << "," << second;
    }
  }
}

TEST(MultipartParser, OneByteAtATime) {
  const std::string body = sample_body();
  std::vector<size_t> cuts;
  for (size_t i = 1; i < body.size(); ++i) cuts.push_back(i);
  auto log = parse_in_pieces(body, cuts);
  ASSERT_OK(log);
  EXPECT_EQ(*log, kSampleLog);
}

TEST(MultipartParser, LargePartIsStreamedInChunks) {
  std::string data(1 << 20, 'x');
  for (size_t i = 0; i < data.size(); i += 97) data[i] = '\r';
  std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n\r\n" +
                     data + "\r\n--XyZ--";
  Recorder recorder;
  auto parser = MultipartParser::create(kContentType, recorder);
  ASSERT_TRUE(parser);
  for (size_t i = 0; i < body.size(); i += 65536) ASSERT_TRUE(parser->feed(body.substr(i, 65536)));
  ASSERT_TRUE(parser->finish());
  ASSERT_EQ(recorder.log.size(), 3u);
  EXPECT_EQ(recorder.log[1], "data " + data);
  EXPECT_GE(recorder.chunks, 16);  // delivered while arriving, not buffered to the end
}

TEST(MultipartParser, PreambleEpilogueAndTransportPadding) {
  std::string body =
      "This is the preamble.\r\n--XyZ \t\r\n"
      "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--ignored epilogue\r\n--XyZ\r\n";
  auto log = parse_in_pieces(body, {});
  ASSERT_OK(log);
  EXPECT_EQ(*log, (std::vector<std::string>{"begin a", "data 1", "end"}));
}

TEST(MultipartParser, QuotedBoundaryWithSpaces) {
  std::string body = "--a b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--a b--";
  auto log = parse_in_pieces(body, {}, {}, "multipart/form-data; boundary=\"a b\"");
  ASSERT_OK(log);
  EXPECT_EQ(*log, (std::vector<std::string>{"begin a", "data v", "end"}));
}

TEST(MultipartParser, NoPartsAtAll) {
  auto log = parse_in_pieces("--XyZ--\r\n", {});
  ASSERT_TRUE(log);
  EXPECT_TRUE(log->empty());
}

TEST(MultipartParser, MissingFinalBoundary) {
  const std::string message = "multipart の終端の区切りがありません（送信が途中で切れた可能性があります）";
  std::string body = sample_body();
  // Truncated anywhere before the closing "--", the body is incomplete.
  for (size_t size : {size_t(0), size_t(3), body.find("事業"), body.rfind("--XyZ--") + 5, body.size() - 4}) {
    EXPECT_EQ(parse_error(body.substr(0, size)).message, message) << size;
  }
  EXPECT_EQ(parse_error("no boundary here at all").message, message);
}

TEST(MultipartParser, CrlfIsRequired) {
  // A body written with bare LF line breaks: the delimiter never matches.
  std::string lf = "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n1\n--XyZ--\n";
  EXPECT_EQ(parse_error(lf).message, "multipart の区切り行の形式が正しくありません");
  std::string lf_headers = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\nX: y\r\n\r\n1\r\n--XyZ--";
  EXPECT_EQ(parse_error(lf_headers).message, "multipart の部分のヘッダーの改行が CRLF ではありません");
  std::string cr_headers = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\rX: y\r\n\r\n1\r\n--XyZ--";
  EXPECT_EQ(parse_error(cr_headers).message, "multipart の部分のヘッダーの改行が CRLF ではありません");
  // CR LF pairs inside data are data, the last CRLF belongs to the delimiter.
  std::string data = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n\n\r\r\n\r\n--XyZ--";
  auto log = parse_in_pieces(data, {});
  ASSERT_TRUE(log);
  EXPECT_EQ((*log)[1], "data \r\n\n\r\r\n");
}

TEST(MultipartParser, MalformedParts) {
  EXPECT_EQ(parse_error("--XyZ\r\n\r\nvalue\r\n--XyZ--").message,
            "multipart の部分に Content-Disposition がありません");
  EXPECT_EQ(parse_error("--XyZ\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--XyZ--").message,
            "multipart の部分に Content-Disposition がありません");
  EXPECT_EQ(parse_error("--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--").message,
            "multipart の部分に項目名（name）がありません");
  EXPECT_EQ(parse_error("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
                        "Content-Disposition: form-data; name=b\r\n\r\nv\r\n--XyZ--")
                .message,
            "multipart の部分に Content-Disposition が複数あります");
  EXPECT_EQ(parse_error("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
                        "Content-Type: a\r\nContent-Type: b\r\n\r\nv\r\n--XyZ--")
                .message,
            "multipart の部分に Content-Type が複数あります");
  EXPECT_EQ(parse_error("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
                        "Content-Type: text/plain; charset\r\n\r\nv\r\n--XyZ--")
                .message,
            "multipart の部分の Content-Type の形式が正しくありません");
  EXPECT_EQ(parse_error("--XyZ\r\nno colon\r\n\r\nv\r\n--XyZ--").message,
            "multipart の部分のヘッダーの形式が正しくありません");
  EXPECT_EQ(parse_error("--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nv\r\n--XyZ--").message,
            "multipart の部分のヘッダーの形式が正しくありません");  // obsolete line folding
  EXPECT_EQ(parse_error("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZjunk\r\n").message,
            "multipart の区切り行の形式が正しくありません");
  EXPECT_EQ(parse_error("--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--").message,
            "multipart の部分が form-data ではありません");
}

TEST(MultipartParser, ErrorsAreSticky) {
  Recorder recorder;
  auto parser = MultipartParser::create(kContentType, recorder);
  ASSERT_TRUE(parser);
  auto first = parser->feed("--XyZ\r\nbroken\r\n\r\n");
  ASSERT_FALSE(first);
  EXPECT_EQ(parser->feed("--XyZ--").error().message, first.error().message);
  EXPECT_EQ(parser->finish().error().message, first.error().message);
  EXPECT_FALSE(parser->complete());
}

TEST(MultipartParser, HandlerErrorsAbortTheParse) {
  class Refuser : public Recorder {
    Result<void> on_part_data(std::string_view) override {
      return fail(Error::unavailable("ディスクがいっぱいです"));
    }
  } refuser;
  auto parser = MultipartParser::create(kContentType, refuser);
  ASSERT_TRUE(parser);
  auto fed = parser->feed(sample_body());
  ASSERT_FALSE(fed);
  ExpectError(fed, ErrorCode::kUnavailable, "ディスクがいっぱいです");
}

std::string parts(int count) {
  std::string body;
  for (int i = 0; i < count; ++i) body += "--XyZ\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nv\r\n";
  return body + "--XyZ--\r\n";
}

TEST(MultipartParser, PartCountLimit) {
  MultipartLimits limits;
  limits.max_parts = 3;
  EXPECT_TRUE(parse_in_pieces(parts(3), {}, limits));
  EXPECT_EQ(parse_error(parts(4), limits).message, "multipart の部分の数が上限（3）を超えています");
  EXPECT_EQ(parse_error(parts(101)).message, "multipart の部分の数が上限（100）を超えています");
}

TEST(MultipartParser, LimitFailuresAreTellableFromMalformedInput) {
  Recorder recorder;
  auto limited = MultipartParser::create(kContentType, recorder);
  ASSERT_TRUE(limited);
  EXPECT_FALSE(limited->feed(parts(101)));
  EXPECT_TRUE(limited->limit_exceeded());  // HTTP 413
  auto malformed = MultipartParser::create(kContentType, recorder);
  ASSERT_TRUE(malformed);
  EXPECT_FALSE(malformed->feed("--XyZ\r\nbroken\r\n\r\n"));
  EXPECT_FALSE(malformed->limit_exceeded());  // HTTP 400
  auto truncated = MultipartParser::create(kContentType, recorder);
  ASSERT_TRUE(truncated);
  ASSERT_TRUE(truncated->feed("--XyZ\r\n"));
  EXPECT_FALSE(truncated->finish());
  EXPECT_FALSE(truncated->limit_exceeded());
}

TEST(MultipartParser, HeaderSizeAndCountLimits) {
  const std::string disposition = "Content-Disposition: form-data; name=\"a\"\r\n";  // 42 bytes
  MultipartLimits limits;
  limits.max_part_header_bytes = disposition.size() + 2;  // the line and the blank line
  limits.max_part_headers = 2;
  EXPECT_TRUE(parse_in_pieces("--XyZ\r\n" + disposition + "\r\nv\r\n--XyZ--", {}, limits));
  EXPECT_EQ(parse_error("--XyZ\r\n" + disposition + "X: \r\n\r\nv\r\n--XyZ--", limits).message,
            "multipart の部分のヘッダーが大きすぎます（上限 44 バイト）");
  limits.max_part_header_bytes = 1000;
  EXPECT_TRUE(parse_in_pieces("--XyZ\r\n" + disposition + "X: 1\r\n\r\nv\r\n--XyZ--", {}, limits));
  EXPECT_EQ(parse_error("--XyZ\r\n" + disposition + "X: 1\r\nY: 2\r\n\r\nv\r\n--XyZ--", limits).message,
            "multipart の部分のヘッダーの数が上限（2）を超えています");
  // A header line that never ends is refused as soon as it passes the limit.
  Recorder recorder;
  auto parser = MultipartParser::create(kContentType, recorder);
  ASSERT_TRUE(parser);
  ASSERT_TRUE(parser->feed("--XyZ\r\nX-Long: "));
  EXPECT_EQ(parser->feed(std::string(8 * 1024, 'a')).error().message,
            "multipart の部分のヘッダーが大きすぎます（上限 8192 バイト）");
}

TEST(MultipartParser, FieldAndFileSizeLimits) {
  MultipartLimits limits;
  limits.max_field_bytes = 6;
  limits.max_file_bytes = 10;
  auto field = [](std::string_view value) {
    return "--XyZ\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n" + std::string(value) + "\r\n--XyZ--";
  };
  auto file = [](std::string_view name, std::string_view value) {
    return "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"" + std::string(name) +
           "\"\r\n\r\n" + std::string(value) + "\r\n";
  };
  EXPECT_TRUE(parse_in_pieces(field("あい"), {}, limits));
  EXPECT_EQ(parse_error(field("あいx"), limits).message, "フォームの値が長すぎます（上限 6 バイト）");
  EXPECT_TRUE(parse_in_pieces(file("a", "12345") + file("b", "12345") + "--XyZ--", {}, limits));
  EXPECT_EQ(parse_error(file("a", "12345") + file("b", "123456") + "--XyZ--", limits).message,
            "アップロードするファイルの合計が大きすぎます（上限 10 バイト）");
  EXPECT_EQ(parse_error("preamble" + std::string(16 * 1024, 'x') + "\r\n--XyZ--").message,
            "multipart の最初の区切りが見つかりません");
}

TEST(MultipartParser, JapaneseFilenames) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"申請書（様式１）.docx\"\r\n\r\n1\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"b\"; filename=\"x.pdf\"; "
      "filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf\r\n\r\n2\r\n--XyZ--";
  auto log = parse_in_pieces(body, {});
  ASSERT_OK(log);
  EXPECT_EQ((*log)[0], "begin a file=申請書（様式１）.docx");
  EXPECT_EQ((*log)[3], "begin b file=報告書.pdf");
}

}  // namespace
}  // namespace kakehashi::web

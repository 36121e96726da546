#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "support/result.h"
#include "support/temp_dir.h"
#include "web/multipart.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::web {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kContentType = "multipart/form-data; boundary=----kk7MA4YWxkTrZu0gW";
constexpr std::string_view kBoundary = "----kk7MA4YWxkTrZu0gW";

// A minimal but well-formed PDF.
const std::string kPdf =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    "trailer\n<< /Root 1 0 R >>\n%%EOF\n";

std::string part(std::string_view disposition, std::string_view content, std::string_view type = "") {
  std::string out = "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; " +
                    std::string(disposition) + "\r\n";
  if (!type.empty()) out += "Content-Type: " + std::string(type) + "\r\n";
  return out + "\r\n" + std::string(content) + "\r\n";
}

std::string closing() { return "--" + std::string(kBoundary) + "--\r\n"; }

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

size_t count_files(const fs::path& directory) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(directory), fs::directory_iterator()));
}

class Quarantine : public ::testing::Test {
 protected:
  void SetUp() override { options_.directory = root_ / "quarantine"; }

  Result<MultipartUpload> upload(const std::string& body, size_t chunk_size = 7,
                                 const MultipartLimits& limits = {}) {
    auto started = QuarantineUpload::start(kContentType, options_, limits);
    if (!started) return fail(started.error());
    for (size_t i = 0; i < body.size(); i += chunk_size) {
      if (auto fed = started->feed(std::string_view(body).substr(i, chunk_size)); !fed) {
        return fail(fed.error());
      }
    }
    return started->finish();
  }

  ::kakehashi::testing::TempDir temp_;
  fs::path root_ = temp_.path();
  QuarantineOptions options_;
};

TEST_F(Quarantine, StoresFilesUnderServerNamesWithMetadata) {
  std::string body = part("name=\"title\"", "事業計画書の提出") +
                     part("name=\"plan\"; filename=\"計画書.pdf\"", kPdf, "application/pdf") +
                     part("name=\"note\"; filename*=UTF-8''%E3%83%A1%E3%83%A2.pdf", "abc", "application/pdf") +
                     closing();
  auto result = upload(body);
  ASSERT_OK(result);
  ASSERT_EQ(result->fields.size(), 1u);
  EXPECT_EQ(*result->fields.find("title"), "事業計画書の提出");
  ASSERT_EQ(result->files.size(), 2u);

  const QuarantinedFile& pdf = result->files[0];
  EXPECT_EQ(pdf.field_name, "plan");
  EXPECT_EQ(pdf.original_name, "計画書.pdf");
  EXPECT_EQ(pdf.declared_type, "application/pdf");
  EXPECT_EQ(pdf.sniffed_type, "application/pdf");
  EXPECT_EQ(pdf.size, kPdf.size());
  EXPECT_EQ(pdf.stored_path.parent_path(), options_.directory);
  EXPECT_TRUE(pdf.stored_path.filename().string().starts_with("upload-"));
  EXPECT_EQ(pdf.stored_path.filename().string().size(), 7u + 32u);
  EXPECT_EQ(read_file(pdf.stored_path), kPdf);
  EXPECT_EQ(fs::status(pdf.stored_path).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::status(options_.directory).permissions(), fs::perms::owner_all);

  // A text file renamed to .pdf and declared as a PDF is found out by its content.
  const QuarantinedFile& renamed = result->files[1];
  EXPECT_EQ(renamed.original_name, "メモ.pdf");
  EXPECT_EQ(renamed.declared_type, "application/pdf");
  EXPECT_EQ(renamed.sniffed_type, "text/plain");
  EXPECT_EQ(renamed.size, 3u);
  EXPECT_EQ(renamed.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(renamed.stored_path, pdf.stored_path);
}

TEST_F(Quarantine, SameResultWhateverTheChunkSize) {
  std::string body = part("name=\"f\"; filename=\"a.pdf\"", kPdf) + part("name=\"t\"", "値") + closing();
  for (size_t chunk : {size_t(1), size_t(2), size_t(13), size_t(64), body.size()}) {
    auto result = upload(body, chunk);
    ASSERT_TRUE(result) << chunk << ": " << result.error().message;
    ASSERT_EQ(result->files.size(), 1u);
    EXPECT_EQ(read_file(result->files[0].stored_path), kPdf) << chunk;
    EXPECT_EQ(result->files[0].sniffed_type, "application/pdf");
    EXPECT_EQ(*result->fields.find("t"), "値");
  }
}

// [IPA-3-(iii)]
TEST_F(Quarantine, ClientFileNamesAreSanitisedAndNeverUsedAsPaths) {
  std::string body = part("name=\"a\"; filename=\"../../etc/passwd\"", "x") +
                     part("name=\"b\"; filename=\"..\\\\..\\\\boot.ini\"", "x") +
                     part("name=\"c\"; filename=\"..\"", "x") +
                     part("name=\"d\"; filename*=UTF-8''..%2F..%2F%E7%A7%98%E5%AF%86.txt", "x") +
                     part("name=\"e\"; filename=\"a<b>c:d|e?f*.txt\"", "x") + closing();
  auto result = upload(body);
  ASSERT_OK(result);
  ASSERT_EQ(result->files.size(), 5u);
  EXPECT_EQ(result->files[0].original_name, "passwd");
  EXPECT_EQ(result->files[1].original_name, "boot.ini");
  EXPECT_EQ(result->files[2].original_name, "file");
  EXPECT_EQ(result->files[3].original_name, "秘密.txt");
  EXPECT_EQ(result->files[4].original_name, "a_b_c_d_e_f_.txt");
  for (const auto& file : result->files) EXPECT_EQ(file.stored_path.parent_path(), options_.directory);
  EXPECT_EQ(count_files(options_.directory), 5u);
  EXPECT_FALSE(fs::exists(root_ / "etc"));
}

TEST(SanitizeClientFilename, Rules) {
  EXPECT_EQ(sanitize_client_filename("C:\\Users\\山田\\申請書.xlsx"), "申請書.xlsx");
  EXPECT_EQ(sanitize_client_filename("  報告書 .pdf　"), "報告書 .pdf");
  EXPECT_EQ(sanitize_client_filename("a\r\nb\x01\x7f.txt"), "ab.txt");
  EXPECT_EQ(sanitize_client_filename(""), "file");
  EXPECT_EQ(sanitize_client_filename("..."), "file");
  EXPECT_EQ(sanitize_client_filename("dir/"), "file");
  EXPECT_EQ(sanitize_client_filename(".hidden"), ".hidden");
  EXPECT_EQ(sanitize_client_filename("invoice\u202Efdp.exe"), "invoicefdp.exe");
  EXPECT_EQ(sanitize_client_filename("a\u2066b\u2069\u200F.txt"), "ab.txt");
  // 100 × "あ" (300 bytes) + ".pdf": cut to 255 bytes on a character boundary, extension kept.
  std::string long_name;
  for (int i = 0; i < 100; ++i) long_name += "あ";
  std::string cut = sanitize_client_filename(long_name + ".pdf");
  EXPECT_EQ(cut.size(), 83u * 3 + 4);
  EXPECT_TRUE(cut.ends_with("あ.pdf"));
}

TEST_F(Quarantine, EmptyFileInputStoresNothingButAnEmptyNamedFileIsKept) {
  std::string body = part("name=\"none\"; filename=\"\"", "", "application/octet-stream") +
                     part("name=\"empty\"; filename=\"empty.txt\"", "") + closing();
  auto result = upload(body);
  ASSERT_OK(result);
  ASSERT_EQ(result->files.size(), 1u);
  EXPECT_EQ(result->files[0].field_name, "empty");
  EXPECT_EQ(result->files[0].size, 0u);
  EXPECT_EQ(result->files[0].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(count_files(options_.directory), 1u);
}

TEST_F(Quarantine, FailedUploadRemovesItsFiles) {
  std::string good = part("name=\"a\"; filename=\"a.pdf\"", kPdf) + part("name=\"b\"; filename=\"b.pdf\"", kPdf);
  // Malformed third part.
  auto malformed = upload(good + "--" + std::string(kBoundary) + "\r\nbroken\r\n\r\n" + closing());
  ASSERT_FALSE(malformed);
  ExpectError(malformed, ErrorCode::kInvalidArgument, "multipart の部分のヘッダーの形式が正しくありません");
  EXPECT_EQ(count_files(options_.directory), 0u);
  // Missing closing boundary: a truncated upload.
  auto truncated = upload(good + part("name=\"c\"; filename=\"c.pdf\"", kPdf).substr(0, 150));
  ASSERT_FALSE(truncated);
  ExpectError(truncated, ErrorCode::kInvalidArgument,
              "multipart の終端の区切りがありません（送信が途中で切れた可能性があります）");
  EXPECT_EQ(count_files(options_.directory), 0u);
  // File limit reached in the middle of a file.
  MultipartLimits limits;
  limits.max_file_bytes = kPdf.size() + 10;
  auto too_big = upload(good + closing(), 7, limits);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().message,
            "アップロードするファイルの合計が大きすぎます（上限 " + std::to_string(kPdf.size() + 10) + " バイト）");
  EXPECT_EQ(count_files(options_.directory), 0u);
}

TEST_F(Quarantine, AbandonedUploadRemovesItsFiles) {
  {
    auto started = QuarantineUpload::start(kContentType, options_);
    ASSERT_TRUE(started);
    ASSERT_TRUE(started->feed(part("name=\"a\"; filename=\"a.pdf\"", kPdf) + part("name=\"b\"; filename=\"b\"", std::string(100, 'z'))));
    EXPECT_EQ(count_files(options_.directory), 2u);  // one complete, one being written
  }  // the connection dropped: destroyed without finish()
  EXPECT_EQ(count_files(options_.directory), 0u);
}

TEST_F(Quarantine, TextFieldsAreBoundedAndMustBeUtf8) {
  options_.max_text_bytes = 10;
  auto ok = upload(part("name=\"a\"", "12345") + part("name=\"b\"", "12345") + closing());
  ASSERT_OK(ok);
  EXPECT_EQ(ok->fields.all("a").size(), 1u);
  auto too_much = upload(part("name=\"a\"", "12345") + part("name=\"b\"", "123456") + closing());
  ASSERT_FALSE(too_much);
  EXPECT_EQ(too_much.error().message, "フォームの値の合計が大きすぎます（上限 10 バイト）");
  auto sjis = upload(part("name=\"氏名\"", "\x8e\x52\x93\x63") + closing());
  ASSERT_FALSE(sjis);
  EXPECT_EQ(sjis.error().message, "フォームの値が UTF-8 ではありません: 氏名");
}

TEST_F(Quarantine, LimitFailuresAreTellable) {
  MultipartLimits limits;
  limits.max_file_bytes = 10;
  auto files = QuarantineUpload::start(kContentType, options_, limits);
  ASSERT_TRUE(files);
  EXPECT_FALSE(files->feed(part("name=\"f\"; filename=\"a\"", std::string(100, 'x'))));
  EXPECT_TRUE(files->limit_exceeded());

  options_.max_text_bytes = 10;
  auto text = QuarantineUpload::start(kContentType, options_);
  ASSERT_TRUE(text);
  EXPECT_FALSE(text->feed(part("name=\"t\"", std::string(100, 'x'))));
  EXPECT_TRUE(text->limit_exceeded());

  auto malformed = QuarantineUpload::start(kContentType, options_);
  ASSERT_TRUE(malformed);
  EXPECT_FALSE(malformed->feed("--" + std::string(kBoundary) + "\r\n\r\n"));
  EXPECT_FALSE(malformed->limit_exceeded());
}

TEST_F(Quarantine, HeaderIsCheckedBeforeTouchingTheDisk) {
  auto started = QuarantineUpload::start("text/plain", options_);
  ASSERT_FALSE(started);
  ExpectError(started, ErrorCode::kInvalidArgument, "Content-Type が multipart/form-data ではありません");
  EXPECT_FALSE(fs::exists(options_.directory));
}

TEST_F(Quarantine, UnusableDirectory) {
  fs::create_directories(root_);
  std::ofstream(root_ / "plain-file") << "x";
  options_.directory = root_ / "plain-file" / "quarantine";
  auto started = QuarantineUpload::start(kContentType, options_);
  ASSERT_FALSE(started);
  ExpectError(started, ErrorCode::kUnavailable, "アップロードの一時保管場所を作成できません");
}

}  // namespace
}  // namespace kakehashi::web

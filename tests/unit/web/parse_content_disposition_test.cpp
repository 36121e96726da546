#include "web/content_disposition.h"

#include <gtest/gtest.h>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::web {
namespace {

TEST(ContentDisposition, JapaneseNameSurvivesWithAsciiFallback) {
  EXPECT_EQ(content_disposition("審査結果 2026.pdf"),
            "attachment; filename=\"____ 2026.pdf\"; "
            "filename*=UTF-8''%E5%AF%A9%E6%9F%BB%E7%B5%90%E6%9E%9C%202026.pdf");
  EXPECT_EQ(content_disposition("report.csv", DispositionType::kInline),
            "inline; filename=\"report.csv\"; filename*=UTF-8''report.csv");
}

TEST(ContentDisposition, HeaderInjectionIsImpossible) {
  std::string header = content_disposition("a\r\nSet-Cookie: x=1\".pdf");
  EXPECT_EQ(header,
            "attachment; filename=\"aSet-Cookie: x=1_.pdf\"; "
            "filename*=UTF-8''aSet-Cookie%3A%20x%3D1%22.pdf");
  EXPECT_EQ(header.find_first_of("\r\n"), std::string::npos);
  EXPECT_EQ(content_disposition("a\\b/c;d\x7f\x01\xc2\x85.txt"),
            "attachment; filename=\"a_b_c_d.txt\"; filename*=UTF-8''a%5Cb%2Fc%3Bd.txt");
}

TEST(ContentDisposition, InvalidUtf8AndEmptyNames) {
  EXPECT_EQ(content_disposition("\xff.txt"),
            "attachment; filename=\"_.txt\"; filename*=UTF-8''%EF%BF%BD.txt");
  EXPECT_EQ(content_disposition(""), "attachment; filename=\"download\"; filename*=UTF-8''download");
  EXPECT_EQ(content_disposition("\r\n\t "), "attachment; filename=\"download\"; filename*=UTF-8''download");
}

TEST(Rfc5987, RoundTripsAndCharsets) {
  EXPECT_EQ(decode_rfc5987("UTF-8''" + rfc5987_encode("申請書（様式1）.docx")), "申請書（様式1）.docx");
  EXPECT_EQ(decode_rfc5987("utf-8'ja'%E3%81%82"), "あ");
  EXPECT_EQ(decode_rfc5987("ISO-8859-1''caf%E9"), "café");
  EXPECT_EQ(decode_rfc5987("Shift_JIS''%82%A0"), std::nullopt);
  EXPECT_EQ(decode_rfc5987("UTF-8''%FF"), std::nullopt);
  EXPECT_EQ(decode_rfc5987("UTF-8''a b"), std::nullopt);
  EXPECT_EQ(decode_rfc5987("UTF-8'%E3"), std::nullopt);
  EXPECT_EQ(decode_rfc5987("UTF-8''%E"), std::nullopt);
}

TEST(FormDataDisposition, NameAndFilenames) {
  auto text = parse_form_data_disposition("form-data; name=\"title\"");
  ASSERT_OK(text);
  EXPECT_EQ(text->name, "title");
  EXPECT_EQ(text->filename, std::nullopt);

  auto raw = parse_form_data_disposition("Form-Data; name=file; filename=\"計画書.pdf\"");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->name, "file");
  EXPECT_EQ(raw->filename, "計画書.pdf");

  auto extended = parse_form_data_disposition(
      "form-data; name=\"file\"; filename=\"fallback.pdf\"; "
      "FILENAME*=UTF-8''%E8%A8%88%E7%94%BB%E6%9B%B8.pdf");
  ASSERT_TRUE(extended);
  EXPECT_EQ(extended->filename, "計画書.pdf");

  auto escaped = parse_form_data_disposition(R"(form-data; name="a\"b"; filename="C:\dir\x\\.txt")");
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->name, "a\"b");
  EXPECT_EQ(escaped->filename, R"(C:\dir\x\.txt)");

  auto empty_file = parse_form_data_disposition("form-data; name=\"f\"; filename=\"\"");
  ASSERT_TRUE(empty_file);
  EXPECT_EQ(empty_file->filename, "");
}

TEST(FormDataDisposition, Errors) {
  ExpectError(parse_form_data_disposition("attachment; name=\"a\""), ErrorCode::kInvalidArgument,
              "multipart の部分が form-data ではありません");
  ExpectError(parse_form_data_disposition("form-data; filename=\"a\""), ErrorCode::kInvalidArgument,
              "multipart の部分に項目名（name）がありません");
  ExpectError(parse_form_data_disposition("form-data; name=\"\""), ErrorCode::kInvalidArgument,
              "multipart の部分に項目名（name）がありません");
  for (const char* bad : {"form-data; name=\"a", "form-data; name", "form-data; name=\"a\"x",
                          "form-data; =x; name=a", "form-data; name=\"a\r\nX: y\"",
                          "form-data; name=a; name=b", "form-data; name=a; filename=x; FileName=y"}) {
    SCOPED_TRACE(bad);
    ExpectError(parse_form_data_disposition(bad), ErrorCode::kInvalidArgument,
                "multipart の Content-Disposition の形式が正しくありません");
  }
  ExpectError(parse_form_data_disposition("form-data; name=\"a\"; filename*=UTF-8''%FF"), ErrorCode::kInvalidArgument,
              "multipart のファイル名（filename*）の形式が正しくありません");
  ExpectError(parse_form_data_disposition("form-data; name=\"a\"; filename=\"\x8e\x52.txt\""),
              ErrorCode::kInvalidArgument, "multipart の項目名またはファイル名が UTF-8 ではありません");
}

TEST(ParameterizedValue, SplitsTypeAndParameters) {
  auto value = parse_parameterized_value("Multipart/Form-Data ; Boundary=\"a b\" ; ; x=1");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->type, "multipart/form-data");
  ASSERT_EQ(value->parameters.size(), 2u);
  EXPECT_EQ(*value->find("boundary"), "a b");
  EXPECT_EQ(*value->find("x"), "1");
  EXPECT_EQ(value->find("y"), nullptr);
}

}  // namespace
}  // namespace kakehashi::web

#include "mail/file_sender.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/mail_server.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::mail {
namespace {

using namespace std::chrono;
const sys_seconds kAt = sys_days{2026y / 12 / 3} + 8h + 48min;

std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FileSender, WritesEachMessageAsAPrivateEmlFile) {
  testing::TempDir dir;
  auto folder = dir.path() / "var" / "mail";
  FileSender sender(folder, {"noreply@kakehashi.example.jp", "架け橋 Kakehashi"});
  ASSERT_TRUE(sender.send({"sato@example.jp", "確認メール", "佐藤 様\n\nご登録ありがとうございます。\n"}, kAt));
  ASSERT_TRUE(sender.send({"suzuki@example.jp", "二通目", "鈴木 様\n"}, kAt));
  auto files = files_in(folder);
  ASSERT_EQ(files.size(), 2u) << "no temporary file is left behind";
  struct stat info{};
  ASSERT_EQ(::stat(folder.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  for (const auto& file : files) {
    EXPECT_EQ(file.extension(), ".eml");
    EXPECT_TRUE(file.filename().string().starts_with("20261203T084800Z-")) << file;
    EXPECT_EQ(file.filename().string().size(), std::string("20261203T084800Z-000000-0123456789ab.eml").size()) << file;
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u) << file;
  }
  // Sorted by name, the files are in the order they were written.
  EXPECT_EQ(testing::decode_mail_file(files[0])["subject"].as_string(), "確認メール");
  EXPECT_EQ(testing::decode_mail_file(files[1])["subject"].as_string(), "二通目");
  for (const auto& file : files) {
    auto decoded = testing::decode_mail_file(file);
    if (decoded["subject"].as_string() != "確認メール") continue;
    EXPECT_EQ(decoded["body"].as_string(), "佐藤 様\n\nご登録ありがとうございます。\n");
    EXPECT_EQ(decoded["to"].as_array().at(0).as_string(), "sato@example.jp");
    EXPECT_EQ(decoded["from_name"].as_string(), "架け橋 Kakehashi");
  }
  EXPECT_EQ(sender.describe(), "ファイル " + folder.string());
}

TEST(FileSender, RefusesAnInvalidMessageAndWritesNothing) {
  testing::TempDir dir;
  FileSender sender(dir.path() / "mail", {"noreply@kakehashi.example.jp", ""});
  auto refused = sender.send({"sato@example.jp", "件名\r\nBcc: other@example.jp", "本文"}, kAt);
  ASSERT_FALSE(refused);
  ExpectErrorCode(refused, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "mail") && !files_in(dir.path() / "mail").empty());
}

TEST(FileSender, AnUnwritableFolderIsATemporaryFailure) {
  testing::TempDir dir;
  std::ofstream(dir.file("not-a-folder")) << "x";
  FileSender sender(dir.path() / "not-a-folder" / "mail", {"noreply@kakehashi.example.jp", ""});
  auto failed = sender.send({"sato@example.jp", "件名", "本文"}, kAt);
  ASSERT_FALSE(failed);
  ExpectErrorCode(failed, ErrorCode::kUnavailable);
  EXPECT_TRUE(failed.error().message.starts_with("メールの保存フォルダを作成できません")) << failed.error().message;
}

}  // namespace
}  // namespace kakehashi::mail

// The file backend: each message is written, exactly as it would go over SMTP, to
// <folder>/<UTC time>-<sequence>-<random>.eml (mode 0600, folder 0700). The demo's default and the tests'
// way of reading what was sent; any mail program opens the files.
#pragma once

#include <filesystem>

#include "mail/message.h"

namespace kakehashi::mail {

class FileSender final : public Sender {
 public:
  FileSender(std::filesystem::path folder, Identity from);
  // Writes to a hidden temporary name and renames, so a reader never sees half a message.
  [[nodiscard]] Result<void> send(const Message& message, std::chrono::sys_seconds now) override;
  std::string describe() const override;
  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path folder_;
  Identity from_;
};

}  // namespace kakehashi::mail

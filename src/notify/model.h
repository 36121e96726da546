// What notify keeps: in-app notifications and the mail outbox.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace kakehashi::notify {

using Instant = std::chrono::sys_seconds;

// A notice shown on the user's お知らせ page (the same fields as call::Notification).
struct Notification {
  std::int64_t id = 0;
  std::string title;
  std::string body;
  std::string link;  // a path on this site, may be empty
  std::string created_at;
  bool read = false;
};

enum class MailState { kPending, kSent, kGaveUp };

// A mail of the outbox, as the secretariat may see it (no body: a sent one no longer has it).
struct OutboxMail {
  std::int64_t id = 0;
  std::string to;
  std::string subject;
  std::string created_at;
  int attempts = 0;
  MailState state = MailState::kPending;
  std::optional<std::string> sent_at;
  std::optional<std::string> gave_up_at;
  std::optional<std::string> last_error;  // Japanese, from the sender
};

// How deliver_pending treats failures and writes links.
struct DeliveryPolicy {
  // The site's address for links in mails ("https://kakehashi.example.jp"); a notification's
  // link "/my/applications/3" becomes "<public_url>/my/applications/3".
  std::string public_url;
  int max_attempts = 6;                              // then the mail is given up (and audited)
  std::chrono::seconds first_retry{60};              // 1, 4, 16, 64, 256 minutes …
  std::chrono::seconds max_retry{6 * 60 * 60};       // … at most 6 hours apart
  std::chrono::seconds claim{10 * 60};               // a mail being sent is not picked again for this long
};

// What one round of delivery did.
struct DeliveryReport {
  int sent = 0;
  int retrying = 0;  // failed, tried again later
  int gave_up = 0;   // failed for good (refused, or too many attempts)
};

}  // namespace kakehashi::notify

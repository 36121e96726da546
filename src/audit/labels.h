// Readable Japanese names for what the audit log records: the actions every module writes and
// the kinds of object they name. The screen and the CSV export show these beside the stored ids.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kakehashi::audit {

// "auth.login" -> "ログイン"; an action without a label (a newer module's) -> itself.
std::string action_label(std::string_view action);

// A kind of object the log names: objects "call:3" are of kind "call"; a kind without an id
// ("audit_log") is the object itself.
struct ObjectKind {
  std::string_view id;     // "call"
  std::string_view label;  // "公募"
  bool numbered = true;    // objects are "<id>:<number>"
};
std::span<const ObjectKind> object_kinds();
const ObjectKind* find_object_kind(std::string_view id);

// "call:3" -> "公募 #3", "audit_log" -> "監査ログ", "sha256:ab…" -> "ファイル（SHA-256 ab12cd34…）";
// a user object takes `user_name` when given. Anything unknown is returned unchanged.
std::string object_label(std::string_view object, const std::optional<std::string>& user_name = std::nullopt);

// The user id of "user:12", or nullopt.
std::optional<std::int64_t> user_id_of(std::string_view actor_or_object);

}  // namespace kakehashi::audit

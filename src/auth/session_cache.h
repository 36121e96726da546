// The signed-in user of a session answered from memory for a few seconds (issue 24): every
// request needs it, and the session, user and roles query was a tenth of a page's time.
//
// What the cache may hold back, and for how long (the TTL, kServeSignedInCacheTtl for `serve`):
// - Changes made through this process (logout, deactivation, role / organisation / name change,
//   password reset, the flash of a session, the purge of expired sessions) drop the whole cache
//   at the write; a request whose read overlapped such a write within the last second is not
//   cached. Logout also drops it again after its commit (Application::sign_out), so a signed-out
//   cookie is refused at once.
// - A change written by another process (the CLI, a second server) can take up to the TTL to
//   be seen by this one. Multi-server deployments (PostgreSQL) need a shared invalidation: later.
// - Idle and absolute timeouts are checked on every request whatever the cache holds, and the
//   once-a-minute refresh of last_seen_at still goes to the database.
#pragma once

#include <chrono>

namespace kakehashi::auth {

inline constexpr std::chrono::milliseconds kServeSignedInCacheTtl{5000};

// 0 (the default) turns the cache off: library callers and tests see every row at once.
void set_signed_in_cache_ttl(std::chrono::milliseconds ttl);

// Drops every cached signed-in user. Writes in this module call it themselves; a caller that
// must be sure no older read is cached after its commit (logout) calls it again after commit.
void forget_signed_in();

}  // namespace kakehashi::auth

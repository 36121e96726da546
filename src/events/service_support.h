// Helpers the events services share (private to the module).
#pragma once

#include <string>

#include "audit/audit.h"
#include "db/database.h"
#include "events/model.h"

namespace kakehashi::events {

// Offers each free seat at the venue to the first waiting (status offered, valid offer_hours),
// mailing them the link under `site`. Audited "event.offer" per offer (actor system).
[[nodiscard]] Result<void> fill_seats(db::Transaction& tx, const Event& event, const std::string& site, Instant now);

// An audit entry for a registration's change ("event.register" …) without personal data.
[[nodiscard]] Result<void> audit_registration(db::Transaction& tx, const audit::Actor& actor, std::string action,
                                              const Registration& r, Instant now);

// The visitor actor (registrants act through their link, without an account).
inline audit::Actor visitor() { return {std::nullopt, "visitor"}; }

}  // namespace kakehashi::events

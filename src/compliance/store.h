// SQL of the compliance module (private). Sealed columns travel as bytes; nothing here decrypts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compliance/model.h"
#include "db/database.h"

namespace kakehashi::compliance::store {

struct Sealed {
  std::optional<std::string> address, birth_date, passport, nationality;
};

struct StoredPerson {
  Person person;
  Sealed sealed;
};
struct StoredChange {
  ChangeRequest change;
  Sealed sealed;
};

[[nodiscard]] Result<std::vector<StoredPerson>> people(db::Transaction& tx, bool active_only);
[[nodiscard]] Result<std::optional<StoredPerson>> find_person(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_person(db::Transaction& tx, const Person& p, const Sealed& s, Instant now);
// Copies the fields of `p`; each sealed field only when set in `s`.
[[nodiscard]] Result<void> update_person(db::Transaction& tx, std::int64_t id, const Person& p, const Sealed& s,
                                         Instant now);
[[nodiscard]] Result<void> set_person_active(db::Transaction& tx, std::int64_t id, bool active, Instant now);
[[nodiscard]] Result<std::optional<std::int64_t>> active_person_of_user(db::Transaction& tx, std::int64_t user_id);

[[nodiscard]] Result<std::int64_t> insert_change(db::Transaction& tx, const ChangeRequest& c, const Sealed& s);
[[nodiscard]] Result<std::optional<StoredChange>> find_change(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::vector<ChangeRequest>> changes(db::Transaction& tx);
[[nodiscard]] Result<std::int64_t> count_pending(db::Transaction& tx);
[[nodiscard]] Result<bool> pending_change_for_person(db::Transaction& tx, std::int64_t person_id);
[[nodiscard]] Result<void> decide_change(db::Transaction& tx, std::int64_t id, ChangeStatus status, std::int64_t by,
                                         const std::string& note, std::optional<std::int64_t> person_id, Instant now);

[[nodiscard]] Result<std::int64_t> insert_version(db::Transaction& tx, std::int64_t change_id, std::int64_t by,
                                                  const std::string& snapshot, Instant now);
[[nodiscard]] Result<std::vector<RosterVersion>> versions(db::Transaction& tx);

[[nodiscard]] Result<GateSnapshot> gate(db::Transaction& tx);

// Close-out: the sealed columns' count, then NULLs them everywhere; the closeout record.
[[nodiscard]] Result<std::int64_t> count_sealed(db::Transaction& tx);
[[nodiscard]] Result<std::int64_t> clear_sealed(db::Transaction& tx);
[[nodiscard]] Result<std::int64_t> insert_closeout(db::Transaction& tx, const std::string& by,
                                                   const std::string& confirmation, const std::string& certificate,
                                                   Instant now);
[[nodiscard]] Result<std::optional<std::string>> latest_certificate(db::Transaction& tx);

// Every sealed value with its row (key rotation re-seals them all).
struct SealedCell {
  std::string table;   // roster_people / roster_changes
  std::string column;  // address / birth_date / passport / nationality
  std::int64_t id = 0;
  std::string bytes;
};
[[nodiscard]] Result<std::vector<SealedCell>> sealed_cells(db::Transaction& tx);
[[nodiscard]] Result<void> replace_sealed(db::Transaction& tx, const SealedCell& cell);

}  // namespace kakehashi::compliance::store

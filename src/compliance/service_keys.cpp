#include <boost/json.hpp>

#include <filesystem>

#include "audit/audit.h"
#include "compliance/crypto.h"
#include "compliance/service.h"
#include "compliance/store.h"

namespace kakehashi::compliance {

Result<std::int64_t> rotate_field_key(db::Database& database, const std::filesystem::path& key_path, Instant now) {
  auto old_key = load_field_key(key_path);
  if (!old_key) return fail(old_key.error());
  FieldKey new_key = FieldKey::generate();
  std::filesystem::path staged = key_path;
  staged += ".rotating";
  if (auto r = write_field_key(new_key, staged); !r) return fail(r.error());
  std::int64_t count = 0;
  auto done = database.write([&](db::Transaction& tx) -> Result<void> {
    auto cells = store::sealed_cells(tx);
    if (!cells) return fail(cells.error());
    for (auto& cell : *cells) {
      auto plain = old_key->open(cell.column, cell.bytes);
      if (!plain) return fail(plain.error());
      cell.bytes = new_key.seal(cell.column, *plain);
      if (auto r = store::replace_sealed(tx, cell); !r) return r;
      ++count;
    }
    boost::json::object detail{{"fields", count}, {"old_key_id", old_key->id_hex()}, {"new_key_id", new_key.id_hex()}};
    auto logged = audit::record(
        tx, audit::entry_by(audit::Actor::system(), "compliance.key_rotated", "roster_key", boost::json::serialize(detail)),
        now);
    if (!logged) return fail(logged.error());
    return {};
  });
  std::error_code ec;
  if (!done) {
    std::filesystem::remove(staged, ec);
    return fail(done.error());
  }
  std::filesystem::rename(staged, key_path, ec);
  if (ec) {
    return fail(Error::unavailable("新しい鍵を " + staged.string() + " に書きましたが、" + key_path.string() +
                                   " に置き換えられませんでした。手作業で置き換えてください"));
  }
  forget_field_key();
  return count;
}

}  // namespace kakehashi::compliance

// The close-out (issue 21; R7.5, specification §9 and 別記 8)): after the handover, the protected
// information is deleted and the roster key destroyed (crypto-shredding), and a deletion
// certificate says what was deleted, when, by whom, with the audit chain's head before and
// after; it is signed with an Ed25519 key whose public half METI received earlier
// (`kakehashi close-out export-key`), and `kakehashi close-out verify CERT` checks it.
//
// The certificate is one JSON object; the signature (base64, field "signature") covers the
// object's serialisation without that field, in the order written (Boost.JSON keeps it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "audit/anchor.h"
#include "auth/roles.h"
#include "base/result.h"
#include "compliance/model.h"
#include "db/database.h"

namespace kakehashi::compliance {

inline constexpr std::string_view kCertificateFormat = "kakehashi-deletion-certificate/1";

struct DeletedTable {
  std::string table;
  std::int64_t rows = 0;
};
struct DeletedFile {
  std::string table;
  std::int64_t id = 0;
  std::int64_t bytes = 0;
  std::string sha256;  // hex
};
struct AuditHead {
  std::int64_t entry_id = 0;
  std::string hash;
};

struct Certificate {
  std::string run_at;  // UTC ISO 8601
  std::string run_by;  // "system" (CLI) or "user:12"
  std::string package_confirmation;
  std::vector<DeletedTable> tables;
  std::vector<DeletedFile> files;
  std::int64_t sealed_fields = 0;  // roster fields cleared (and unreadable without the key)
  std::string key_file;
  std::string key_id;
  bool key_destroyed = false;
  AuditHead head_before, head_after;
  std::string public_key;  // base64 of the Ed25519 public key
  std::string signature;   // base64
};

// <folder of the database>/closeout-signing.key
std::filesystem::path default_closeout_key_path(const std::filesystem::path& database_path);

// SHA-256 of `bytes`, lowercase hex.
std::string sha256_hex(std::string_view bytes);

// The signed certificate as JSON (the object with "signature" last).
std::string sign_certificate(Certificate& certificate, const audit::SigningKey& key);

struct CertificateCheck {
  bool valid = false;
  std::string problem;  // Japanese, when not valid
  std::optional<Certificate> certificate;
};
// Checks the signature of a certificate's JSON with its own public key, and that this key is
// `expected` when given (the key METI received).
CertificateCheck verify_certificate(std::string_view json, const std::optional<audit::PublicKey>& expected);

// The certificate as Markdown for the document engine (PDF).
std::string certificate_markdown(const Certificate& certificate);

// The compliance module's part of a close-out, inside the caller's write transaction: clears
// every sealed field (returns how many there were) and returns the audit head.
[[nodiscard]] Result<std::int64_t> shred_roster_fields(db::Transaction& tx);
[[nodiscard]] Result<AuditHead> audit_head(db::Transaction& tx);
[[nodiscard]] Result<void> record_closeout(db::Transaction& tx, const Certificate& certificate,
                                           const std::string& json, Instant now);
// Every version of the roster (handover export), without permission checks: the CLI only.
[[nodiscard]] Result<std::vector<RosterVersion>> all_versions(db::Transaction& tx);

}  // namespace kakehashi::compliance

namespace kakehashi::compliance {

// ---- The close-out screen (R7.5): the steps in front of the security officer, and METI's
// confirmation of the certificate in Kakehashi.

// The delivery of the report package the close-out waits for. METI's acceptance of a package
// built in Kakehashi records it (package::mark_delivered calls record_package_accepted); a
// delivery made outside Kakehashi is entered by the security officer on the close-out screen.
// `kakehashi close-out` uses the latest of either when --package-delivered is not given.
struct PackageDelivery {
  std::string delivered_on;  // Japan date
  std::string note;          // 受領の記録
  std::optional<std::int64_t> recorded_by;
  std::optional<Instant> recorded_at;
  // 「2027-03-25 納品（受領番号 123）」: what the certificate's package_confirmation says.
  std::string confirmation() const { return note.empty() ? delivered_on + " 納品" : delivered_on + " 納品（" + note + "）"; }
};
[[nodiscard]] Result<std::optional<PackageDelivery>> package_delivery(db::Transaction& tx);
// kCloseOut; audited "compliance.package_recorded". A date "YYYY-MM-DD" not after today.
[[nodiscard]] Result<void> record_package_delivery(db::Transaction& tx, const auth::Principal& who,
                                                   const std::string& delivered_on, const std::string& note, Instant now);
// For the report package module, inside the transaction in which METI accepts build `build_id`
// (the caller checked kAcceptPackage): the delivery is that day's, noted with the build number.
// Audited "compliance.package_recorded" with the build.
[[nodiscard]] Result<void> record_package_accepted(db::Transaction& tx, const auth::Principal& who,
                                                   std::int64_t build_id, Instant now);

struct CloseoutRecord {
  std::int64_t id = 0;
  Instant run_at{};
  std::string run_by;
  std::string certificate_json;
  CertificateCheck check;  // the signature checked with the certificate's own key
  std::optional<std::int64_t> confirmed_by;
  std::optional<Instant> confirmed_at;
};
// The latest close-out, when one has run (kViewComplianceReport).
[[nodiscard]] Result<std::optional<CloseoutRecord>> latest_closeout(db::Transaction& tx, const auth::Principal& who);
// METI confirms the certificate (kConfirmCloseOut): refused when none exists, its signature
// does not verify, or it is confirmed already. Audited "compliance.closeout_confirmed".
[[nodiscard]] Result<void> confirm_closeout(db::Transaction& tx, const auth::Principal& who, Instant now);

}  // namespace kakehashi::compliance

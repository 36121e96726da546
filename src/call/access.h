// Who may read an application, decided per object (R2.5, "Access" of issue 6):
// - secretariat and METI: every application (each read is audited by the screen);
// - operators: their own organisation's;
// - bureaus: the applications to their block, once the results are published;
// - reviewers: the applications assigned to them and never one they declared a conflict with,
//   with the personal fields hidden when the call says so.
#pragma once

#include "auth/roles.h"
#include "call/service.h"

namespace kakehashi::call {

enum class Visibility {
  kNone,      // not allowed: the screen answers 404 so nothing leaks
  kFull,      // every field
  kRedacted,  // personal fields (names, contact details) hidden
};

[[nodiscard]] Result<Visibility> application_visibility(db::Transaction& tx, const auth::Principal& who,
                                                        const Application& application, const Call& call);

// True for readers whose reads are audited (staff rather than the applicant itself).
bool read_is_audited(const auth::Principal& who, const Application& application);

// Which copy of an attachment `who` downloads (R8.4): the original for the secretariat, METI and
// the applicant's own organisation; the disarmed copy for everyone else (reviewers, bureaus).
AttachmentCopy attachment_copy(const auth::Principal& who, const Application& application);

// The application with its personal fields replaced by "（非表示）".
Application redacted(Application application);

}  // namespace kakehashi::call

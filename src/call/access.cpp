#include "call/access.h"

#include "auth/policy.h"

namespace kakehashi::call {

Result<Visibility> application_visibility(db::Transaction& tx, const auth::Principal& who,
                                          const Application& application, const Call& call) {
  using auth::Action;
  if (who.has(auth::Role::kSecretariat) || who.has(auth::Role::kMeti)) {
    if (auth::allowed(who, Action::kViewApplication)) return Visibility::kFull;
  }
  if (auth::allowed(who, Action::kViewApplication, {.organisation_id = application.organisation_id}) &&
      who.has(auth::Role::kOperator)) {
    return Visibility::kFull;
  }
  if (who.has(auth::Role::kBureau) && call.decision == DecisionState::kPublished && application.submitted) {
    for (const auto& block : application.blocks) {
      if (auth::allowed(who, Action::kViewApplication, {.block_id = block.block})) return Visibility::kFull;
    }
  }
  if (who.has(auth::Role::kReviewer) && application.submitted) {
    auto assigned = is_assigned(tx, application.id, who.user_id);
    if (!assigned) return fail(assigned.error());
    auto conflict = in_conflict(tx, application.id, who.user_id);
    if (!conflict) return fail(conflict.error());
    if (*assigned && !*conflict && auth::allowed(who, Action::kViewApplication, {.owner_user_id = who.user_id})) {
      return call.hide_personal ? Visibility::kRedacted : Visibility::kFull;
    }
  }
  return Visibility::kNone;
}

bool read_is_audited(const auth::Principal& who, const Application& application) {
  return !(who.organisation_id && *who.organisation_id == application.organisation_id);
}

AttachmentCopy attachment_copy(const auth::Principal& who, const Application& application) {
  if (who.has(auth::Role::kSecretariat) || who.has(auth::Role::kMeti)) return AttachmentCopy::kOriginal;
  if (who.organisation_id && *who.organisation_id == application.organisation_id) return AttachmentCopy::kOriginal;
  return AttachmentCopy::kDisarmed;
}

Application redacted(Application application) {
  const std::string hidden = "（非表示）";
  application.representative_name = hidden;
  application.contact_name = hidden;
  application.contact_email = hidden;
  application.contact_phone = hidden;
  return application;
}

}  // namespace kakehashi::call

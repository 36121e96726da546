#include "auth/policy.h"

namespace kakehashi::auth {
namespace {

using enum Role;
using enum Action;
using enum Scope;

// Read the table by role: what each kind of user may do, and how far.
constexpr Grant kPolicy[] = {
    {kMeti, kViewDashboard, kAll},
    {kMeti, kViewGeography, kAll},
    {kMeti, kViewAuditLog, kAll},
    {kMeti, kViewUsers, kAll},
    {kMeti, kManageUsers, kAll},  // METI and bureau accounts only (grants.cpp)
    {kMeti, kViewOrganisation, kAll},
    {kMeti, kInspectFiles, kAll},
    {kMeti, kViewCalls, kAll},
    {kMeti, kViewApplication, kAll},
    {kMeti, kViewResults, kAll},
    {kMeti, kApproveSelection, kAll},
    {kMeti, kViewOperations, kAll},
    {kMeti, kViewSupport, kAll},
    {kMeti, kViewBudget, kAll},
    {kMeti, kViewStaff, kAll},

    {kBureau, kViewDashboard, kAll},
    {kBureau, kViewGeography, kAll},
    {kBureau, kViewOrganisation, kOwnBlock},
    {kBureau, kViewCalls, kAll},
    {kBureau, kViewApplication, kOwnBlock},  // and only once the results are published
    {kBureau, kViewOperations, kOwnBlock},  // the blocks of the user's bureau (北陸: two bureaus)
    {kBureau, kViewSupport, kOwnBlock},

    {kSecretariat, kViewDashboard, kAll},
    {kSecretariat, kViewGeography, kAll},
    {kSecretariat, kViewUsers, kAll},
    {kSecretariat, kManageUsers, kAll},  // which roles: the grant table (grants.cpp)
    {kSecretariat, kViewOrganisation, kAll},
    {kSecretariat, kEditOrganisation, kAll},
    {kSecretariat, kInspectFiles, kAll},
    {kSecretariat, kManageCalls, kAll},
    {kSecretariat, kViewCalls, kAll},
    {kSecretariat, kViewApplication, kAll},
    {kSecretariat, kReopenApplication, kAll},
    {kSecretariat, kManageReview, kAll},
    {kSecretariat, kDecideSelection, kAll},
    {kSecretariat, kViewResults, kAll},
    {kSecretariat, kViewOperations, kAll},
    {kSecretariat, kManageOperators, kAll},
    {kSecretariat, kEditOperatorPlan, kAll},
    {kSecretariat, kReviewMilestones, kAll},
    {kSecretariat, kViewSupport, kAll},
    {kSecretariat, kLogSupport, kAll},
    {kSecretariat, kViewBudget, kAll},
    {kSecretariat, kManageBudget, kAll},
    {kSecretariat, kViewStaff, kAll},
    {kSecretariat, kManageStaff, kAll},

    {kSecurityOfficer, kViewDashboard, kAll},
    {kSecurityOfficer, kViewGeography, kAll},
    {kSecurityOfficer, kViewAuditLog, kAll},
    {kSecurityOfficer, kVerifyAuditLog, kAll},
    {kSecurityOfficer, kViewUsers, kAll},
    {kSecurityOfficer, kManageUsers, kAll},  // secretariat and security-officer accounts (grants.cpp)
    {kSecurityOfficer, kInspectFiles, kAll},
    {kSecurityOfficer, kViewStaff, kAll},

    {kReviewer, kViewDashboard, kAll},
    {kReviewer, kViewGeography, kAll},
    {kReviewer, kReview, kAll},
    {kReviewer, kViewApplication, kSelf},  // owner = an assigned reviewer without conflict

    {kOperator, kViewDashboard, kAll},
    {kOperator, kViewGeography, kAll},
    {kOperator, kViewOrganisation, kOwnOrganisation},
    {kOperator, kEditOrganisation, kOwnOrganisation},
    {kOperator, kApply, kOwnOrganisation},
    {kOperator, kViewApplication, kOwnOrganisation},
    {kOperator, kViewOperations, kOwnOrganisation},
    {kOperator, kEditOperatorPlan, kOwnOrganisation},
    {kOperator, kViewSupport, kOwnOrganisation},

    // Knowledge (issue 19): the secretariat curates; operators draft their own organisation's
    // cases and lessons; METI and bureaus read (bureaus: drafts of their bureau's blocks).
    {kSecretariat, kViewKnowledge, kAll},
    {kSecretariat, kEditKnowledge, kAll},
    {kSecretariat, kCurateKnowledge, kAll},
    {kMeti, kViewKnowledge, kAll},
    {kBureau, kViewKnowledge, kOwnBlock},
    {kOperator, kViewKnowledge, kOwnOrganisation},
    {kOperator, kEditKnowledge, kOwnOrganisation},
    // Information management (compliance, issue 21): METI decides changes of the roster and sees
    // its personal fields; the secretariat files changes; the security officer (情報管理責任者)
    // files changes, sees personal fields and runs the close-out.
    {kMeti, kViewRoster, kAll},
    {kMeti, kViewRosterPersonal, kAll},
    {kMeti, kDecideRosterChange, kAll},
    {kSecretariat, kViewRoster, kAll},
    {kSecretariat, kRequestRosterChange, kAll},
    {kSecurityOfficer, kViewRoster, kAll},
    {kSecurityOfficer, kViewRosterPersonal, kAll},
    {kSecurityOfficer, kRequestRosterChange, kAll},
    {kSecurityOfficer, kCloseOut, kAll},
    // The compliance report (別紙) and the incident log: the contractor's side prepares and
    // reports, METI acknowledges; the close-out's certificate is confirmed by METI.
    {kMeti, kViewComplianceReport, kAll},
    {kMeti, kAcknowledgeComplianceReport, kAll},
    {kMeti, kViewIncidents, kAll},
    {kMeti, kConfirmCloseOut, kAll},
    {kSecretariat, kViewComplianceReport, kAll},
    {kSecretariat, kPrepareComplianceReport, kAll},
    {kSecretariat, kViewIncidents, kAll},
    {kSecretariat, kRecordIncident, kAll},
    {kSecurityOfficer, kViewComplianceReport, kAll},
    {kSecurityOfficer, kPrepareComplianceReport, kAll},
    {kSecurityOfficer, kViewIncidents, kAll},
    {kSecurityOfficer, kRecordIncident, kAll},
    // The report package (package, issue 25): the secretariat writes and builds, METI previews
    // and accepts the delivery.
    {kSecretariat, kViewPackage, kAll},
    {kSecretariat, kManagePackage, kAll},
    {kMeti, kViewPackage, kAll},
    {kMeti, kAcceptPackage, kAll},
    // Operators' final reports (package, issue 25): each operator submits its own, the bureau
    // sees its blocks', the secretariat reviews, METI reads.
    {kSecretariat, kViewFinalReports, kAll},
    {kSecretariat, kReviewFinalReports, kAll},
    {kMeti, kViewFinalReports, kAll},
    {kBureau, kViewFinalReports, kOwnBlock},
    {kOperator, kViewFinalReports, kOwnOrganisation},
    {kOperator, kSubmitFinalReport, kOwnOrganisation},

    {kParticipant, kViewDashboard, kAll},
    {kParticipant, kViewGeography, kAll},
    {kParticipant, kViewOrganisation, kOwnOrganisation},

    // Meetings (issue 17). kSelf: the meetings the user attends, plus the 連絡会 about one of the
    // user's blocks (meetings/service.h decides per meeting).
    {kSecretariat, kViewMeetings, kAll},
    {kSecretariat, kManageMeetings, kAll},
    {kMeti, kViewMeetings, kAll},
    {kMeti, kConfirmMinutes, kAll},
    {kBureau, kViewMeetings, kSelf},
    {kOperator, kViewMeetings, kSelf},
    // Events (issue 18): operators reach the events they co-host.
    {kMeti, kViewEvents, kAll},
    {kBureau, kViewEvents, kAll},
    {kSecretariat, kViewEvents, kAll},
    {kSecretariat, kManageEvents, kAll},
    {kSecretariat, kViewRegistrants, kAll},
    {kSecretariat, kCheckIn, kAll},
    {kOperator, kViewEvents, kOwnOrganisation},
    {kOperator, kViewRegistrants, kOwnOrganisation},
    {kOperator, kCheckIn, kOwnOrganisation},
};

bool covers(const Principal& who, Scope scope, const Target& target) {
  switch (scope) {
    case kAll:
      return true;
    case kOwnOrganisation:
      return who.organisation_id && target.organisation_id && *who.organisation_id == *target.organisation_id;
    case kOwnBlock:
      return who.block_id && target.block_id && *who.block_id == *target.block_id;
    case kSelf:
      return target.owner_user_id && *target.owner_user_id == who.user_id;
  }
  return false;
}

}  // namespace

std::span<const Grant> policy_table() { return kPolicy; }

bool allowed(const Principal& who, Action action, const Target& target) {
  for (const Grant& grant : kPolicy) {
    if (grant.action == action && who.has(grant.role) && covers(who, grant.scope, target)) return true;
  }
  return false;
}

bool may(const Principal& who, Action action) {
  for (const Grant& grant : kPolicy) {
    if (grant.action == action && who.has(grant.role)) return true;
  }
  return false;
}

std::string_view action_id(Action action) {
  switch (action) {
    case kViewDashboard: return "dashboard.view";
    case kViewGeography: return "geography.view";
    case kViewAuditLog: return "audit.view";
    case kVerifyAuditLog: return "audit.verify";
    case kManageUsers: return "users.manage";
    case kViewUsers: return "users.view";
    case kViewOrganisation: return "organisation.view";
    case kEditOrganisation: return "organisation.edit";
    case kInspectFiles: return "files.inspect";
    case kManageCalls: return "calls.manage";
    case kViewCalls: return "calls.view";
    case kViewApplication: return "application.view";
    case kApply: return "application.apply";
    case kReopenApplication: return "application.reopen";
    case kManageReview: return "review.manage";
    case kReview: return "review.score";
    case kDecideSelection: return "selection.decide";
    case kApproveSelection: return "selection.approve";
    case kViewResults: return "results.view";
    case kViewOperations: return "operations.view";
    case kManageOperators: return "operators.manage";
    case kEditOperatorPlan: return "operator_plan.edit";
    case kReviewMilestones: return "milestones.review";
    case kViewSupport: return "support.view";
    case kLogSupport: return "support.log";
    case kViewBudget: return "budget.view";
    case kManageBudget: return "budget.manage";
    case kViewStaff: return "staff.view";
    case kManageStaff: return "staff.manage";
    case kViewMeetings: return "meetings.view";
    case kManageMeetings: return "meetings.manage";
    case kConfirmMinutes: return "minutes.confirm";
    case kViewKnowledge: return "knowledge.view";
    case kEditKnowledge: return "knowledge.edit";
    case kCurateKnowledge: return "knowledge.curate";
    case kViewEvents: return "events.view";
    case kManageEvents: return "events.manage";
    case kViewRegistrants: return "events.registrants";
    case kCheckIn: return "events.checkin";
    case kViewRoster: return "roster.view";
    case kViewRosterPersonal: return "roster.view_personal";
    case kRequestRosterChange: return "roster.request_change";
    case kDecideRosterChange: return "roster.decide_change";
    case kCloseOut: return "closeout.run";
    case kViewComplianceReport: return "compliance_report.view";
    case kPrepareComplianceReport: return "compliance_report.prepare";
    case kAcknowledgeComplianceReport: return "compliance_report.acknowledge";
    case kViewIncidents: return "incidents.view";
    case kRecordIncident: return "incidents.record";
    case kConfirmCloseOut: return "closeout.confirm";
    case kViewPackage: return "package.view";
    case kManagePackage: return "package.manage";
    case kAcceptPackage: return "package.accept";
    case kViewFinalReports: return "final_reports.view";
    case kSubmitFinalReport: return "final_reports.submit";
    case kReviewFinalReports: return "final_reports.review";
  }
  return "";
}

}  // namespace kakehashi::auth

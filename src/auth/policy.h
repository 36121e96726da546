// The permission policy: one table of (role, action, scope), checked by one function. Every
// handler and service asks `allowed` for the object at hand; tests walk the table.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "auth/roles.h"

namespace kakehashi::auth {

enum class Action {
  kViewDashboard,      // the programme dashboard (calendar, blocks)
  kViewGeography,      // blocks, prefectures, bureaus
  kViewAuditLog,       // the audit log screen
  kVerifyAuditLog,     // run the chain check from the UI
  kManageUsers,        // create users, assign roles
  kViewUsers,          // the user list
  kViewOrganisation,   // an organisation's profile
  kEditOrganisation,   // change an organisation's profile
  kInspectFiles,       // upload a file to the publication-safety check (R6.8)
  kManageCalls,        // set up a call: settings, criteria, guidelines, publication (R2.2)
  kViewCalls,          // the staff list of calls and their applications
  kViewApplication,    // read an application (reviewers: only assigned, never in conflict)
  kApply,              // draft and submit an application (R2.3)
  kReopenApplication,  // give a submitted application back to its operator, with a reason
  kManageReview,       // conflicts overview, assignment, progress and reminders (R2.5)
  kReview,             // declare conflicts and score assigned applications
  kDecideSelection,    // run the selection solver and record the committee's decision (R2.6)
  kApproveSelection,   // approve the recorded decision so it can be published
  kViewResults,        // the results table and ranking of a call
  // The programme year after the award (operations, issue 15). Bureau grants with kOwnBlock
  // reach every block of the user's bureau (operations/access.h decides per operator).
  kViewOperations,     // operators, milestones, projects, flags, the programme dashboard (R3.1–R3.3)
  kManageOperators,    // contract amount and period, contacts, settings of the programme year
  kEditOperatorPlan,   // final goal, milestones and evidence, projects, sessions, activity imports
  kReviewMilestones,   // the secretariat's review of a milestone
  kViewSupport,        // the accompaniment log and mentoring records (R3.4)
  kLogSupport,         // write the accompaniment log and mentoring records
  kViewBudget,         // contract amounts against the cap, expenses, plan vs actual (R9.1)
  kManageBudget,       // record expenses and the monthly plan
  kViewStaff,          // the programme's own staff (R1.3)
  kManageStaff,        // add and change staff
  // Meetings (issue 17): series, agendas, materials, minutes, action items, calendar feeds.
  kViewMeetings,       // meetings one may see (bureau/operator: kSelf = attended, and 連絡会 of their blocks)
  kManageMeetings,     // series and meetings, agenda, materials, minutes drafts, pre-read (secretariat)
  kConfirmMinutes,     // confirm or return submitted minutes (METI)
  // Knowledge (issue 19): the stakeholder map, lessons and cases. Published cases and lessons
  // are public (/cases) without any grant; these actions govern drafts and curation.
  kViewKnowledge,      // the staff's knowledge screens: drafts within reach, the stakeholder map
  kEditKnowledge,      // write a draft case or lesson and send it to review (operators: their own)
  kCurateKnowledge,    // review, approve, publish and withdraw; the stakeholder map; imports
  // Events (issue 18). Operators with kOwnOrganisation reach the events they co-host
  // (events/service.h decides per event).
  kViewEvents,         // events, their counts against the target band, programme and costs (R5.1, R5.4)
  kManageEvents,       // create and change events, programme, costs, matchmaking grid and schedule
  kViewRegistrants,    // registrants' personal data and the exports that carry it
  kCheckIn,            // the check-in desk: mark attendance, record walk-ins
  // Information management (compliance, issue 21; R7, R8).
  kViewRoster,           // the information-handler roster without personal fields, its versions and changes
  kViewRosterPersonal,   // the roster's sealed personal fields (each view audited)
  kRequestRosterChange,  // file a change of the roster (takes effect only when METI approves)
  kDecideRosterChange,   // approve or reject a change of the roster
  kCloseOut,             // the close-out: deletion of protected information and its certificate (R7.5)
  kViewComplianceReport,     // the half-yearly compliance reports (別紙) and their evidence (R8.1)
  kPrepareComplianceReport,  // fill in a compliance report, attach evidence, submit it to METI
  kAcknowledgeComplianceReport,  // METI: acknowledge or return a submitted compliance report
  kViewIncidents,            // the incident log (R8.5)
  kRecordIncident,           // record an incident, its follow-up reports and its closure
  kConfirmCloseOut,          // METI: confirm the close-out's deletion certificate
  // The report package (package, issue 25; R6).
  kViewPackage,    // the report's chapters, builds and their sets (METI previews)
  kManagePackage,  // write chapters, start builds, accept gate exceptions (secretariat)
  kAcceptPackage,  // accept a built package as delivered (METI)
  kViewFinalReports,    // operators' final reports (成果報告書): own / the bureau's blocks / all
  kSubmitFinalReport,   // upload the own final report, set its consent to publication (operator)
  kReviewFinalReports,  // return or accept final reports, set their due date (secretariat)
};

// How far a grant reaches.
enum class Scope {
  kAll,              // every object
  kOwnOrganisation,  // objects of the principal's organisation
  kOwnBlock,         // objects of the principal's block (bureau users)
  kSelf,             // objects that are the principal's own
};

struct Grant {
  Role role;
  Action action;
  Scope scope;
};

// The whole policy.
std::span<const Grant> policy_table();

// The object an action is about; empty fields mean "not scoped by that".
struct Target {
  std::optional<std::int64_t> organisation_id;
  std::optional<std::string> block_id;
  std::optional<std::int64_t> owner_user_id;
};

// True when some role of `who` grants `action` with a scope that covers `target`.
bool allowed(const Principal& who, Action action, const Target& target = {});

// True when some role of `who` grants `action` at all, whatever the scope: the gate a route
// checks before the object is known (an operator may apply, but only for their organisation;
// the handler then asks `allowed` with the object).
bool may(const Principal& who, Action action);

std::string_view action_id(Action action);

}  // namespace kakehashi::auth

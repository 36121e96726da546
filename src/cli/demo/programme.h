// The demo's programme year (issue 15): a call held in spring whose results were published in
// July, its ten operators, and — one file per part — their milestones, projects and sessions,
// the secretariat's support log, mentoring, expenses and staff. Called by `kakehashi demo` in its
// one write transaction.
#pragma once

#include <cstdint>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "operations/model.h"

namespace kakehashi { using Instant = std::chrono::sys_seconds; }

namespace kakehashi::cli::demo {

// Who the seeding acts as: the demo users of demo.cpp.
struct DemoPeople {
  auth::Principal secretariat;
  auth::Principal meti;
  auth::Principal operator_user;  // the demo operator login (one of the ten operators)
  auth::Principal security_officer;  // 情報管理責任者 (the roster's responsible person)
  std::vector<std::int64_t> reviewers;
};

// The organisations that become the ten operators, one per block in block order; the first is
// the demo operator login's organisation.
struct DemoOperatorOrganisation {
  const char* name;
  const char* block;
};
extern const DemoOperatorOrganisation kProgrammeOperators[10];

// The past call, its decision and publication, and the operators adopted from it, with their
// final goals and project targets. Returns the operators in block order.
[[nodiscard]] Result<std::vector<operations::Operator>> create_programme(db::Transaction& tx, const DemoPeople& people,
                                                                          Instant now);

// Each part's data for the programme year (milestones.cpp, projects.cpp, support.cpp).
[[nodiscard]] Result<void> seed_milestones(db::Transaction& tx, const DemoPeople& people,
                                           const std::vector<operations::Operator>& operators, Instant now);
[[nodiscard]] Result<void> seed_projects(db::Transaction& tx, const DemoPeople& people,
                                         const std::vector<operations::Operator>& operators, Instant now);
// Effect verification (effects.cpp): KPIs with monthly actuals for every operator, three pre/post
// surveys analysed by the survey engine.
[[nodiscard]] Result<void> seed_effects(db::Transaction& tx, const DemoPeople& people,
                                        const std::vector<operations::Operator>& operators, Instant now);
// The information-handler roster (issue 21): 責任者, 管理者, 従事者 of the secretariat and two
// subcontractors, approved by METI (the demo secretariat and security-officer logins are linked
// to their roster people, so the roster gate lets them in), and one change waiting for METI.
[[nodiscard]] Result<void> seed_compliance(db::Transaction& tx, const DemoPeople& people, Instant now);
[[nodiscard]] Result<void> seed_support_and_budget(db::Transaction& tx, const DemoPeople& people,
                                                   const std::vector<operations::Operator>& operators, Instant now);
// The meetings of the year (meetings.cpp, issue 17).
[[nodiscard]] Result<void> seed_meetings(db::Transaction& tx, const DemoPeople& people,
                                         const std::vector<operations::Operator>& operators, Instant now);

// The knowledge module (issue 19): about 60 published cases and 30 published lessons, a few
// drafts and items in review (one with a personal-information finding), through the services.
[[nodiscard]] Result<void> seed_knowledge(db::Transaction& tx, const DemoPeople& people,
                                          const std::vector<operations::Operator>& operators, Instant now);

// Events (issue 18, events.cpp): three interim report events (one held, two open for
// registration, one of them full with a wait list) and the national final event with its
// registrations, matchmaking requests and a published schedule.
[[nodiscard]] Result<void> seed_events(db::Transaction& tx, const DemoPeople& people,
                                       const std::vector<operations::Operator>& operators, Instant now);

// The operators' final reports (issue 25, final_reports.cpp): accepted, returned, awaiting review.
[[nodiscard]] Result<void> seed_final_reports(db::Transaction& tx, const DemoPeople& people,
                                              const std::vector<operations::Operator>& operators, Instant now);

// The report package (issue 25, package.cpp): the report's written chapters and 様式1's text.
[[nodiscard]] Result<void> seed_package(db::Transaction& tx, const DemoPeople& people, Instant now);

}  // namespace kakehashi::cli::demo

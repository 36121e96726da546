// Events (issue 18) on a real, migrated SQLite database: capacity and the wait list, offers that
// expire with the clock, the same e-mail twice, personal links, check-in once, the rate limit,
// scope per event, costs into the programme budget, matchmaking through the engine.
#include <gtest/gtest.h>

#include <set>

#include "events/render.h"
#include "events/service.h"
#include "events/store.h"
#include "operations/budget.h"
#include "unit/operations/fixture.h"

namespace kakehashi::events {
namespace {

using namespace std::chrono;
using namespace kakehashi::testing;

class EventsTest : public operations::testing::ProgrammeFixture {
 protected:
  void SetUp() override {
    ProgrammeFixture::SetUp();
    if (HasFatalFailure()) return;
    clock_ = published_ + days{10};
  }

  // An interim event in 大阪 three weeks from `clock_`, published, `capacity` seats.
  Event interim(int capacity, bool online = false) {
    Event e;
    e.kind = EventKind::kInterim;
    e.title = "中間報告会（近畿）";
    e.starts_at = clock_ + days{21};
    e.ends_at = e.starts_at + hours{4};
    e.in_person = true;
    e.online = online;
    e.prefecture = "27";
    e.venue = "大阪商工会議所";
    e.address = "大阪市中央区本町橋2-8";
    e.capacity = capacity;
    e.registration_closes_at = clock_ + days{14};
    e.published = true;
    return e;
  }

  Event create(Event e) {
    auto id = create_event(tx(), principal(secretariat_), e, clock_);
    EXPECT_OK(id);
    auto found = store::find_event(tx(), id.value_or(0));
    EXPECT_TRUE(found && *found);
    return found && *found ? **found : Event{};
  }

  Registration person(const std::string& email, Attendance attendance = Attendance::kInPerson) {
    Registration r;
    r.name = "参加 太郎";
    r.organisation = "大阪市立中央小学校";
    r.kind = RegistrantKind::kSchool;
    r.school_type = "小学校";
    r.prefecture = "27";
    r.email = email;
    r.attendance = attendance;
    return r;
  }

  Result<Registered> reg(const Event& e, const std::string& email, Attendance a = Attendance::kInPerson,
                         int limit = 0, const std::string& address = "192.0.2.1") {
    return register_for(tx(), e, person(email, a), address, limit, "https://kakehashi.example.jp", clock_);
  }

  Registration reload(std::int64_t id) {
    auto r = store::find_registration(tx(), id);
    EXPECT_TRUE(r && *r);
    return r && *r ? **r : Registration{};
  }

  Instant clock_{};
};

TEST_F(EventsTest, CapacityIsNeverExceededAndLaterRegistrantsWaitInOrder) {
  Event e = create(interim(3, true));
  std::vector<Registered> done;
  for (int i = 1; i <= 6; ++i) {
    auto r = reg(e, fmt::format("p{}@example.jp", i));
    ASSERT_OK(r);
    done.push_back(*r);
  }
  for (int i = 0; i < 3; ++i) EXPECT_EQ(done[i].registration.status, Status::kConfirmed) << i;
  for (int i = 3; i < 6; ++i) {
    EXPECT_EQ(done[i].registration.status, Status::kWaiting) << i;
    EXPECT_EQ(done[i].position, i - 2);
  }
  // Online participation has no seat limit.
  auto online = reg(e, "online@example.jp", Attendance::kOnline);
  ASSERT_OK(online);
  EXPECT_EQ(online->registration.status, Status::kConfirmed);
  auto counts = event_counts(tx(), e);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->confirmed_in_person, 3);
  EXPECT_EQ(counts->confirmed_online, 1);
  EXPECT_EQ(counts->waiting, 3);
}

TEST_F(EventsTest, TheSameAddressAgainGetsTheExistingRegistration) {
  Event e = create(interim(10));
  auto first = reg(e, "Tanaka@Example.jp");
  ASSERT_OK(first);
  // Full-width letters, other case and spaces: the same person.
  auto again = reg(e, "  ｔａｎａｋａ@example.JP ");
  ASSERT_OK(again);
  EXPECT_TRUE(again->existing);
  EXPECT_EQ(again->registration.id, first->registration.id);
  EXPECT_TRUE(again->link_key.empty());
  auto rows = store::registrations(tx(), e.id);
  ASSERT_OK(rows);
  EXPECT_EQ(rows->size(), 1u);
}

TEST_F(EventsTest, AFreedSeatIsOfferedToTheFirstInLineAndTheOfferExpiresToTheNext) {
  Event e = create(interim(1));
  auto seated = reg(e, "seated@example.jp");
  auto w1 = reg(e, "w1@example.jp");
  auto w2 = reg(e, "w2@example.jp");
  ASSERT_OK(seated);
  ASSERT_OK(w1);
  ASSERT_OK(w2);
  ASSERT_OK(cancel_registration(tx(), e, seated->registration, "https://k.example", clock_));
  Registration offered = reload(w1->registration.id);
  EXPECT_EQ(offered.status, Status::kOffered);
  ASSERT_TRUE(offered.offer_expires_at);
  EXPECT_EQ(*offered.offer_expires_at, clock_ + hours{48});
  auto position = wait_position(tx(), reload(w2->registration.id));
  ASSERT_OK(position);
  EXPECT_EQ(*position, 1);
  // A newcomer does not take the offered seat.
  auto late = reg(e, "late@example.jp");
  ASSERT_OK(late);
  EXPECT_EQ(late->registration.status, Status::kWaiting);
  EXPECT_EQ(late->position, 2);

  // 47 hours later nothing happens; after 48 the offer passes on.
  auto expired = expire_offers(tx(), e.id, "https://k.example", clock_ + hours{47});
  ASSERT_OK(expired);
  EXPECT_EQ(*expired, 0);
  expired = expire_offers(tx(), e.id, "https://k.example", clock_ + hours{48});
  ASSERT_OK(expired);
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(reload(w1->registration.id).status, Status::kExpired);
  EXPECT_EQ(reload(w2->registration.id).status, Status::kOffered);
  // Accepting an expired offer is refused; accepting in time confirms.
  auto refused = accept_offer(tx(), e, reload(w1->registration.id), "https://k.example", clock_ + hours{49});
  ExpectError(refused, ErrorCode::kInvalidArgument, "ご案内の期限が過ぎたため、この席は次の方にご案内しました");
  ASSERT_OK(accept_offer(tx(), e, reload(w2->registration.id), "https://k.example", clock_ + hours{50}));
  EXPECT_EQ(reload(w2->registration.id).status, Status::kConfirmed);
  auto counts = event_counts(tx(), e);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->confirmed_in_person, 1);
  // The offers were mailed with the personal link.
  auto mails = tx().scalar("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE '%空席のご案内%'");
  ASSERT_OK(mails);
  EXPECT_EQ(*mails, 2);
}

TEST_F(EventsTest, RaisingTheCapacityOffersTheNewSeats) {
  Event e = create(interim(1));
  ASSERT_OK(reg(e, "a@example.jp"));
  auto w = reg(e, "b@example.jp");
  ASSERT_OK(w);
  e.capacity = 2;
  ASSERT_OK(update_event(tx(), principal(secretariat_), e, "https://k.example", clock_));
  EXPECT_EQ(reload(w->registration.id).status, Status::kOffered);
}

TEST_F(EventsTest, RegistrationClosesAtItsTime) {
  Event e = create(interim(5));
  clock_ = e.registration_closes_at;
  ExpectErrorContaining(reg(e, "x@example.jp"), ErrorCode::kInvalidArgument, "参加申込みの受付は");
}

TEST_F(EventsTest, ThePublicFormIsLimitedPerAddressAndMinute) {
  Event e = create(interim(100));
  ASSERT_OK(reg(e, "1@example.jp", Attendance::kInPerson, 2));
  ASSERT_OK(reg(e, "2@example.jp", Attendance::kInPerson, 2));
  ExpectErrorContaining(reg(e, "3@example.jp", Attendance::kInPerson, 2), ErrorCode::kRateLimited,
              "同じ接続元から短時間に多くの申込みがありました");
  // Another address, or a minute later, is accepted.
  ASSERT_OK(reg(e, "3@example.jp", Attendance::kInPerson, 2, "198.51.100.7"));
  clock_ += seconds{61};
  ASSERT_OK(reg(e, "4@example.jp", Attendance::kInPerson, 2));
}

TEST_F(EventsTest, APersonalLinkOpensOnlyItsOwnRegistration) {
  Event e = create(interim(5));
  Event other = create(interim(5));
  auto mine = reg(e, "me@example.jp");
  auto theirs = reg(e, "them@example.jp");
  ASSERT_OK(mine);
  ASSERT_OK(theirs);
  auto found = find_by_link(tx(), e, mine->link_key);
  ASSERT_OK(found);
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->id, mine->registration.id);
  std::string key = mine->link_key;
  // Another id with my signature, a changed signature, the right key on another event: nothing.
  std::string forged = std::to_string(theirs->registration.id) + key.substr(key.find('-'));
  std::string tampered = key;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  for (const auto& [event, k] : std::vector<std::pair<Event, std::string>>{{e, forged}, {e, tampered}, {other, key}, {e, "1-x"}}) {
    auto none = find_by_link(tx(), event, k);
    ASSERT_OK(none);
    EXPECT_FALSE(*none) << k;
  }
}

TEST_F(EventsTest, AttendanceIsMarkedOnceWhateverTheNumberOfDesks) {
  Event e = create(interim(1));
  auto seated = reg(e, "s@example.jp");
  auto waiting = reg(e, "w@example.jp");
  ASSERT_OK(seated);
  ASSERT_OK(waiting);
  auto desk = principal(secretariat_);
  auto code = find_for_checkin(tx(), desk, e, " " + seated->registration.receipt + " ");
  ASSERT_OK(code);
  ASSERT_TRUE(*code);
  auto first = check_in(tx(), desk, e, (*code)->id, clock_ + days{21});
  ASSERT_OK(first);
  EXPECT_FALSE(first->already);
  auto second = check_in(tx(), desk, e, (*code)->id, clock_ + days{21} + minutes{1});
  ASSERT_OK(second);
  EXPECT_TRUE(second->already);
  ExpectErrorContaining(check_in(tx(), desk, e, waiting->registration.id, clock_ + days{21}), ErrorCode::kInvalidArgument,
              "この方は参加確定ではありません（キャンセル待ち）");
  Registration walk;
  walk.name = "当日 来子";
  walk.organisation = "堺市教育委員会";
  walk.kind = RegistrantKind::kMunicipality;
  ASSERT_OK(add_walk_in(tx(), desk, e, walk, clock_ + days{21}));
  auto counts = event_counts(tx(), e);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->attended, 2);
  EXPECT_EQ(counts->walk_ins, 1);
}

TEST_F(EventsTest, RegistrantsAreSeenByTheSecretariatAndTheCoHostingOperatorOnly) {
  Event base = interim(5);
  base.cohost_operator_id = op_c_;
  base.cohost_name = "関西教育フォーラム2027";
  Event e = create(base);
  ASSERT_OK(reg(e, "p@example.jp"));
  ASSERT_OK(registrations(tx(), principal(secretariat_), e));
  ASSERT_OK(registrations(tx(), principal(operator_c_), e));
  ExpectErrorCode(registrations(tx(), principal(operator_a_), e), ErrorCode::kPermissionDenied);
  ExpectErrorCode(registrations(tx(), principal(meti_), e), ErrorCode::kPermissionDenied);
  // METI and bureaus see the event and its numbers; another operator does not see it at all.
  auto seen = find_event(tx(), principal(bureau_kinki_), e.id);
  ASSERT_OK(seen);
  EXPECT_TRUE(*seen);
  auto hidden = find_event(tx(), principal(operator_a_), e.id);
  ASSERT_OK(hidden);
  EXPECT_FALSE(*hidden);
  auto cohost = find_event(tx(), principal(operator_c_), e.id);
  ASSERT_OK(cohost);
  EXPECT_TRUE(*cohost);
}

TEST_F(EventsTest, ACostIsAlsoAnExpenseOfTheProgrammeBudget) {
  Event e = create(interim(5));
  Cost cost;
  auto errors = read_cost("venue", "会場借料（大ホール）", "３５０，０００", "2027-02-10", cost);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(cost.amount, 350000);
  auto id = add_cost(tx(), principal(secretariat_), e, cost, clock_);
  ASSERT_OK(id);
  auto costs = store::costs(tx(), e.id);
  ASSERT_OK(costs);
  ASSERT_EQ(costs->size(), 1u);
  ASSERT_TRUE(costs->front().expense_id);
  auto expense = operations::find_expense(tx(), principal(secretariat_), *costs->front().expense_id);
  ASSERT_OK(expense);
  ASSERT_TRUE(*expense);
  EXPECT_EQ((*expense)->amount, 350000);
  EXPECT_EQ((*expense)->category, operations::ExpenseCategory::kVenue);
  EXPECT_EQ((*expense)->description, "中間報告会（近畿）：会場借料（大ホール）");
}

TEST_F(EventsTest, FormValuesAreNormalised) {
  Event e = interim(5);
  RegistrationForm form{"  山田　 花子 ", "株式会社ＡＢＣ", "company", "", "13", "ｈａｎａｋｏ@example.jp", "in_person", true,
                        false, "", ""};
  Registration out;
  auto errors = read_registration(form, e, out);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(out.name, "山田 花子");
  EXPECT_EQ(out.organisation, "株式会社ABC");
  EXPECT_EQ(out.email, "hanako@example.jp");
  EXPECT_EQ(normalise_code(" ｅ３ー７ｋｑ４ｍｘ "), "E3-7KQ4MX");
  RegistrationForm empty;
  errors = read_registration(empty, e, out);
  std::set<std::string> fields;
  for (const auto& err : errors) fields.insert(err.field);
  // The event is held at a venue only: the attendance needs no choice.
  EXPECT_EQ(fields, (std::set<std::string>{"name", "organisation", "kind", "prefecture", "email", "consent"}));
  EXPECT_EQ(out.attendance, Attendance::kInPerson);
}

TEST_F(EventsTest, UpcomingEventsForOthersShowOnlyWhatTheReaderMaySee) {
  Event shown = create(interim(5));
  Event draft = interim(5);
  draft.published = false;
  draft.title = "全国成果報告会（準備中）";
  create(draft);
  auto anonymous = list_upcoming_events(tx(), nullptr, clock_, 10);
  ASSERT_OK(anonymous);
  ASSERT_EQ(anonymous->size(), 1u);
  EXPECT_EQ(anonymous->front().title, shown.title);
  EXPECT_EQ(anonymous->front().place, "大阪府大阪市中央区本町橋2-8（大阪商工会議所）");
  const auth::Principal desk = principal(secretariat_);
  auto staff = list_upcoming_events(tx(), &desk, clock_, 10);
  ASSERT_OK(staff);
  EXPECT_EQ(staff->size(), 2u);
}

TEST_F(EventsTest, MatchmakingFromRequestsToPublishedAgendas) {
  Event base = interim(50);
  base.kind = EventKind::kFinal;
  base.title = "全国成果報告会";
  base.matchmaking = true;
  base.requests_open_at = clock_;
  base.requests_close_at = clock_ + days{10};
  Event e = create(base);
  std::vector<Registration> people;
  const RegistrantKind kinds[] = {RegistrantKind::kCompany, RegistrantKind::kSchool, RegistrantKind::kCompany,
                                  RegistrantKind::kMunicipality};
  for (int i = 0; i < 4; ++i) {
    Registration r = person(fmt::format("m{}@example.jp", i));
    r.kind = kinds[i];
    r.organisation = fmt::format("団体{}", i);
    auto done = register_for(tx(), e, r, "192.0.2.9", 0, "https://k.example", clock_);
    ASSERT_OK(done);
    ASSERT_OK(update_match_profile(tx(), e, done->registration, true, "教材", "連携先", clock_));
    people.push_back(reload(done->registration.id));
  }
  auto dir = directory(tx(), e, people[0].id);
  ASSERT_OK(dir);
  EXPECT_EQ(dir->size(), 3u);
  ASSERT_OK(send_request(tx(), e, people[0], people[1].id, 3, clock_));
  ASSERT_OK(send_request(tx(), e, people[2], people[1].id, 2, clock_));
  ASSERT_OK(send_request(tx(), e, people[3], people[0].id, 1, clock_));
  auto reqs = store::requests(tx(), e.id);
  ASSERT_OK(reqs);
  ASSERT_EQ(reqs->size(), 3u);
  ASSERT_OK(answer_request(tx(), e, people[1], (*reqs)[0].id, true, clock_));
  ASSERT_OK(answer_request(tx(), e, people[1], (*reqs)[1].id, true, clock_));
  ASSERT_OK(answer_request(tx(), e, people[0], (*reqs)[2].id, false, clock_));
  // Someone else cannot answer a request that is not theirs.
  ExpectErrorCode(answer_request(tx(), e, people[3], (*reqs)[0].id, true, clock_), ErrorCode::kNotFound);
  auto desk = principal(secretariat_);
  // One slot and one table: only one of the two accepted requests fits; the other is reported.
  ASSERT_OK(set_grid(tx(), desk, e, e.starts_at, 20, 5, 1, 1, clock_));
  auto run = run_matching(tx(), desk, e, clock_);
  ASSERT_OK(run);
  EXPECT_EQ(run->requested, 2);
  EXPECT_EQ(run->scheduled, 1);
  auto state = match_state(tx(), desk, e);
  ASSERT_OK(state);
  ASSERT_EQ(state->meetings.size(), 1u);
  ASSERT_EQ(state->unscheduled.size(), 1u);
  EXPECT_FALSE(state->unscheduled.front().message.empty());
  // Two slots: a rerun keeps the locked meeting and places the other.
  ASSERT_OK(set_grid(tx(), desk, e, e.starts_at, 20, 5, 2, 1, clock_));
  ASSERT_OK(run_matching(tx(), desk, e, clock_));
  state = match_state(tx(), desk, e);
  ASSERT_OK(state);
  ASSERT_EQ(state->meetings.size(), 2u);
  Meeting locked = state->meetings.front();
  ASSERT_OK(lock_meeting(tx(), desk, e, locked.id, true, clock_));
  ASSERT_OK(run_matching(tx(), desk, e, clock_));
  state = match_state(tx(), desk, e);
  ASSERT_OK(state);
  bool kept = false;
  for (const auto& m : state->meetings) kept = kept || (m.id == locked.id && m.slot_id == locked.slot_id && m.locked);
  EXPECT_TRUE(kept);
  // Agendas appear once published.
  auto before = agenda(tx(), e, people[1]);
  ASSERT_OK(before);
  EXPECT_TRUE(before->empty());
  ASSERT_OK(publish_schedule(tx(), desk, e, true, "https://k.example", clock_));
  auto after = agenda(tx(), e, people[1]);
  ASSERT_OK(after);
  EXPECT_EQ(after->size(), 2u);
  // Only the secretariat runs the engine.
  ExpectErrorCode(run_matching(tx(), principal(operator_a_), e, clock_), ErrorCode::kPermissionDenied);
}

TEST(EventsRender, QrCodesAreDrawnAsSvgFromTheModules) {
  auto qr = qr_matrix("E3-7KQ4MX");
  ASSERT_OK(qr);
  EXPECT_EQ(qr->size, 21);  // version 1
  auto svg = qr_svg("E3-7KQ4MX", 160, "受付用 QR コード");
  ASSERT_OK(svg);
  EXPECT_TRUE(svg->starts_with("<svg"));
  EXPECT_NE(svg->find("aria-label=\"受付用 QR コード\""), std::string::npos);
  EXPECT_NE(svg->find("viewBox=\"0 0 29 29\""), std::string::npos);
}

}  // namespace
}  // namespace kakehashi::events

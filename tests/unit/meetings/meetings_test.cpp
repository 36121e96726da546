// The meetings module's rules (issue 17) on a real database: the minutes deadline on the
// government calendar (year-end closed days, Golden Week), series generated over holidays,
// who sees which meeting and which minutes, the minutes' life with its lock and audit, the
// carry-over of action items, flags, escalation to the lead, the feed token and iCalendar text.
#include <gtest/gtest.h>

#include "meetings/service.h"
#include "meetings/store.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::meetings::testing {
namespace {

using namespace std::chrono;
using operations::testing::ProgrammeFixture;

Date day(int y, unsigned m, unsigned d) { return *Date::from_ymd(y, m, d); }

class MeetingsTest : public ProgrammeFixture {
 protected:
  MeetingForm regular_form() {
    MeetingForm f;
    f.kind = "regular";
    f.title = "未来の教室 定例会";
    f.date = "2026-12-18";
    f.last_date = "2027-01-08";
    f.start_time = "10:00";
    f.duration = "60";
    f.place = "経済産業省 本館 5階 会議室";
    f.attendees = {std::to_string(meti_), std::to_string(secretariat_), std::to_string(bureau_hokkaido_)};
    f.guests = "外部有識者 山田\n";
    return f;
  }

  std::vector<Meeting> all() {
    auto list = store::meetings(tx(), {});
    EXPECT_OK(list);
    return list ? *list : std::vector<Meeting>{};
  }

  std::int64_t adhoc(const std::string& date, Kind kind = Kind::kAdhoc, std::vector<std::string> blocks = {},
                     std::vector<std::string> attendees = {}) {
    MeetingForm f = regular_form();
    f.kind = std::string(to_string(kind));
    f.title = "臨時打合せ";
    f.date = date;
    f.blocks = std::move(blocks);
    f.attendees = std::move(attendees);
    auto id = create_meeting(tx(), principal(secretariat_), calendar_, f, now_);
    EXPECT_OK(id);
    return id.value_or(0);
  }

  Meeting load(std::int64_t id) {
    auto m = store::find_meeting(tx(), id);
    EXPECT_TRUE(m && *m);
    return m && *m ? **m : Meeting{};
  }

  calendar::HolidayCalendar calendar_;
};

TEST_F(MeetingsTest, MinutesAreDueThreeBusinessDaysAfterTheMeetingOnTheGovernmentCalendar) {
  // The example: Friday 2026-12-25; 12/28 is the last business day of the year, then
  // 12/29–1/3 are closed (and 1/1 a holiday), so the three days are 12/28, 1/4 and 1/5.
  EXPECT_EQ(*minutes_due(calendar_, day(2026, 12, 25)), day(2027, 1, 5));
  // An ordinary week: Tuesday + 3 = Friday.
  EXPECT_EQ(*minutes_due(calendar_, day(2026, 12, 8)), day(2026, 12, 11));
  // Golden Week 2026: 5/4, 5/5 and 5/6 (振替休日 for Sunday 5/3) are holidays.
  EXPECT_EQ(*minutes_due(calendar_, day(2026, 5, 1)), day(2026, 5, 11));
  EXPECT_EQ(*day_note(calendar_, day(2027, 1, 1)), "祝日（元日）");
  EXPECT_EQ(*day_note(calendar_, day(2026, 12, 30)), "年末年始の閉庁日");
  EXPECT_EQ(*day_note(calendar_, day(2026, 12, 25)), "");
}

TEST_F(MeetingsTest, AWeeklySeriesOverTheYearEndFlagsTheMeetingOnNewYearsDay) {
  ASSERT_OK_AND_ASSIGN(auto series, create_series(tx(), principal(secretariat_), calendar_, regular_form(), now_));
  auto list = all();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(tokyo_date(list[0].starts_at), day(2026, 12, 18));
  EXPECT_EQ(tokyo_date(list[2].starts_at), day(2027, 1, 1));
  EXPECT_EQ(list[2].day_note, "祝日（元日）");
  EXPECT_EQ(list[1].minutes_due, day(2027, 1, 5));
  EXPECT_EQ(list[0].day_note, "");
  // 10:00 in Tokyo is 01:00 UTC.
  EXPECT_EQ(iso_utc(list[0].starts_at), "2026-12-18T01:00:00Z");
  auto flags_of_new_year = flags(list[2], 0, now_);
  ASSERT_EQ(flags_of_new_year.size(), 1u);
  EXPECT_EQ(flags_of_new_year[0].kind, FlagKind::kClosedDay);
  auto people = attendees_of(tx(), list[0].id);
  ASSERT_OK(people);
  EXPECT_EQ(people->size(), 4u);  // three users and the guest
  EXPECT_EQ(audit_count("meeting.series_create", "meeting_series:" + std::to_string(series)), 1);
}

TEST_F(MeetingsTest, AMonthlySeriesKeepsTheNthWeekdayAndFlagsComingOfAgeDay) {
  MeetingForm f = regular_form();
  f.kind = "liaison";
  f.title = "未来の教室 連絡会";
  f.date = "2026-12-14";  // second Monday
  f.last_date = "2027-03-31";
  ASSERT_OK(create_series(tx(), principal(secretariat_), calendar_, f, now_));
  auto list = all();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(tokyo_date(list[1].starts_at), day(2027, 1, 11));
  EXPECT_EQ(list[1].day_note, "祝日（成人の日）");
  EXPECT_EQ(tokyo_date(list[2].starts_at), day(2027, 2, 8));
  EXPECT_EQ(tokyo_date(list[3].starts_at), day(2027, 3, 8));
  EXPECT_EQ(list[0].blocks.size(), 10u);  // no block chosen: all ten
}

TEST_F(MeetingsTest, TheFormIsRefusedWithEveryProblemAtOnce) {
  MeetingForm f;
  f.kind = "weekly";
  f.date = "2026-13-01";
  f.last_date = "x";
  f.start_time = "25:00";
  f.duration = "5";
  f.online_url = "ftp://example";
  auto errors = validate_series(f);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"kind", "date", "last_date", "title", "start_time", "duration", "online_url"}));
  ExpectError(create_series(tx(), principal(meti_), calendar_, regular_form(), now_), ErrorCode::kPermissionDenied,
              "会議を管理する権限がありません");
}

TEST_F(MeetingsTest, BureausAndOperatorsSeeTheMeetingsTheyAttendAndTheLiaisonMeetingsOfTheirBlocks) {
  std::int64_t weekly = adhoc("2026-12-08", Kind::kRegular, {}, {std::to_string(bureau_hokkaido_)});
  std::int64_t liaison_tokai = adhoc("2026-12-09", Kind::kLiaison, {"tokai"});
  std::int64_t liaison_kanto = adhoc("2026-12-10", Kind::kLiaison, {"kanto"});
  auto sees = [&](std::int64_t user, std::int64_t meeting) {
    auto m = find_meeting(tx(), principal(user), meeting);
    EXPECT_OK(m);
    return m && m->has_value();
  };
  EXPECT_TRUE(sees(meti_, weekly));
  EXPECT_TRUE(sees(secretariat_, liaison_kanto));
  EXPECT_TRUE(sees(bureau_hokkaido_, weekly));
  EXPECT_FALSE(sees(bureau_kanto_, weekly));
  EXPECT_TRUE(sees(bureau_kanto_, liaison_kanto));
  EXPECT_FALSE(sees(bureau_kanto_, liaison_tokai));
  EXPECT_TRUE(sees(bureau_chubu_, liaison_tokai));  // 中部 covers 東海 and 北陸
  EXPECT_TRUE(sees(operator_b_, liaison_tokai));    // B runs 東海
  EXPECT_FALSE(sees(operator_a_, liaison_tokai));   // A runs 北海道 and 北陸
  EXPECT_FALSE(sees(operator_a_, weekly));
  EXPECT_FALSE(sees(reviewers_[0], weekly));
  auto listed = list_meetings(tx(), principal(operator_b_), std::nullopt, std::nullopt);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, liaison_tokai);
}

TEST_F(MeetingsTest, MinutesGoFromDraftToConfirmedAndAreLockedAfterwards) {
  std::int64_t id = adhoc("2026-11-27", Kind::kRegular, {}, {std::to_string(meti_), std::to_string(bureau_hokkaido_)});
  const auto who = principal(secretariat_);
  ASSERT_OK(save_minutes(tx(), who, id, "## 進捗報告\n\n- 北海道ブロックは順調", now_));
  // A draft is the secretariat's only.
  auto v_meti = viewer(tx(), principal(meti_));
  auto v_bureau = viewer(tx(), principal(bureau_hokkaido_));
  auto v_sec = viewer(tx(), who);
  ASSERT_OK(v_meti);
  ASSERT_OK(v_bureau);
  ASSERT_OK(v_sec);
  EXPECT_FALSE(may_read_minutes(*v_meti, load(id)));
  EXPECT_FALSE(may_read_minutes(*v_bureau, load(id)));
  EXPECT_TRUE(may_read_minutes(*v_sec, load(id)));
  ExpectError(confirm_minutes(tx(), principal(meti_), id, "/meetings/1", now_), ErrorCode::kInvalidArgument,
              "提出された議事録だけを確定できます");
  ASSERT_OK(submit_minutes(tx(), who, id, "/meetings/1", now_));
  EXPECT_TRUE(may_read_minutes(*v_meti, load(id)));
  EXPECT_TRUE(may_read_minutes(*v_bureau, load(id)));
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE '議事録の確認依頼%'", {meti_}), 1);
  ExpectError(save_minutes(tx(), who, id, "書き換え", now_), ErrorCode::kInvalidArgument,
              "提出済みの議事録は、経済産業省から差し戻されるまで編集できません。");
  ExpectError(return_minutes(tx(), principal(meti_), id, " ", "/meetings/1", now_), ErrorCode::kInvalidArgument,
              "差し戻しの理由（コメント）を入力してください");
  ASSERT_OK(return_minutes(tx(), principal(meti_), id, "決定事項を明記してください", "/meetings/1", now_));
  EXPECT_EQ(load(id).minutes_state, MinutesState::kReturned);
  EXPECT_FALSE(may_read_minutes(*v_bureau, load(id)));
  ASSERT_OK(save_minutes(tx(), who, id, "## 進捗報告\n\n決定: 次回までに計画を更新", now_));
  ASSERT_OK(submit_minutes(tx(), who, id, "/meetings/1", now_));
  ExpectError(confirm_minutes(tx(), principal(secretariat_), id, "/meetings/1", now_), ErrorCode::kPermissionDenied,
              "議事録を確定する権限がありません");
  ASSERT_OK(confirm_minutes(tx(), principal(meti_), id, "/meetings/1", now_));
  EXPECT_EQ(load(id).minutes_state, MinutesState::kConfirmed);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE '議事録の確定%'", {bureau_hokkaido_}), 1);
  ExpectError(save_minutes(tx(), who, id, "書き換え", now_), ErrorCode::kInvalidArgument, "確定した議事録は編集できません。");
  ExpectError(add_decision(tx(), who, id, "追加", now_), ErrorCode::kInvalidArgument, "確定した議事録は編集できません。");
  const std::string object = "meeting:" + std::to_string(id);
  EXPECT_EQ(audit_count("meeting.minutes_submit", object), 2);
  EXPECT_EQ(audit_count("meeting.minutes_return", object), 1);
  EXPECT_EQ(audit_count("meeting.minutes_confirm", object), 1);
}

TEST_F(MeetingsTest, OpenActionItemsCarryOverToEveryLaterMeetingOfTheSeriesUntilClosed) {
  MeetingForm f = regular_form();
  f.date = "2026-11-06";
  f.last_date = "2026-11-27";
  ASSERT_OK(create_series(tx(), principal(secretariat_), calendar_, f, now_));
  auto list = all();
  ASSERT_EQ(list.size(), 4u);
  const auto who = principal(secretariat_);
  ActionForm a{"北陸ブロックの計画を修正する", std::to_string(operator_a_), "", "2026-11-20"};
  ASSERT_OK_AND_ASSIGN(auto item, add_action_item(tx(), who, list[0].id, a, now_));
  ASSERT_OK(add_action_item(tx(), who, list[0].id, {"会場を予約する", "", "事務局 佐藤", ""}, now_));
  auto carried1 = carried_over(tx(), list[1]);
  ASSERT_OK(carried1);
  ASSERT_EQ(carried1->size(), 2u);
  EXPECT_EQ(carried1->front().owner_name, "実証 五郎");
  ASSERT_OK(update_action_item(tx(), who, item, list[1].id, "noted", "素案を受領", now_ + hours{1}));
  ASSERT_OK(update_action_item(tx(), who, item, list[2].id, "closed", "", now_ + hours{2}));
  auto carried3 = carried_over(tx(), list[3]);
  ASSERT_OK(carried3);
  ASSERT_EQ(carried3->size(), 1u);  // only the open one
  EXPECT_EQ(carried3->front().title, "会場を予約する");
  auto history = store::action_history(tx(), item);
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[1].note, "素案を受領");
  EXPECT_EQ((*history)[2].kind, "closed");
  // An ad hoc meeting is no place to close an item of the series.
  std::int64_t other = adhoc("2026-11-30");
  ExpectError(update_action_item(tx(), who, item, other, "reopened", "", now_), ErrorCode::kInvalidArgument,
              "このアクションアイテムはこの会議の系列のものではありません");
}

TEST_F(MeetingsTest, MaterialsSentLateOrNotAtAllAndOverdueMinutesAreFlagged) {
  std::int64_t id = adhoc("2026-11-20");
  Meeting m = load(id);
  const Instant after_start = m.starts_at + minutes{30};
  EXPECT_TRUE(flags(m, 0, m.starts_at - hours{1}).empty());
  auto not_sent = flags(m, 0, after_start);
  ASSERT_EQ(not_sent.size(), 1u);
  EXPECT_EQ(not_sent[0].kind, FlagKind::kMaterialsNotSent);
  ASSERT_OK(store::insert_material(tx(), {.meeting_id = id, .file_name = "資料1.pdf", .content_type = "application/pdf",
                                          .sha256 = "00"},
                                   "%PDF-1.4", now_, secretariat_));
  ASSERT_OK(send_materials(tx(), principal(secretariat_), id, "/meetings/1", after_start));
  m = load(id);
  auto late = flags(m, 0, after_start);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].kind, FlagKind::kMaterialsLate);
  EXPECT_EQ(late[0].label, "資料を開始後に送付（11月20日（金）10:30）");
  // Due 11/26 (11/23 勤労感謝の日): overdue from 11/26 until submitted.
  EXPECT_EQ(m.minutes_due, day(2026, 11, 26));
  auto overdue = flags(m, 0, sys_days{2026y / 11 / 27} + hours{1});
  ASSERT_EQ(overdue.size(), 2u);
  EXPECT_EQ(overdue[1].label, "議事録の提出期限（11月26日）を過ぎています");
  auto over = flags(m, 75, after_start);
  EXPECT_EQ(over.back().label, "議題が会議時間を 15 分超えています");
}

TEST_F(MeetingsTest, OverdueMinutesEscalateOnceToTheNamedLead) {
  std::int64_t id = adhoc("2026-11-20");
  ASSERT_OK(set_lead_user(tx(), principal(secretariat_), secretariat_, now_));
  ExpectError(set_lead_user(tx(), principal(secretariat_), meti_, now_), ErrorCode::kInvalidArgument,
              "事務局の責任者には、事務局の有効な利用者を選んでください");
  // now_ is 2026-12-01: the minutes (due 11/26) are overdue.
  ASSERT_OK_AND_ASSIGN(int n, escalate_overdue(tx(), now_));
  EXPECT_EQ(n, 1);
  ASSERT_OK_AND_ASSIGN(int again, escalate_overdue(tx(), now_ + hours{1}));
  EXPECT_EQ(again, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE '議事録の期限超過%'", {secretariat_}), 1);
  EXPECT_EQ(audit_count("meeting.minutes_escalate", "meeting:" + std::to_string(id)), 1);
  auto tasks = tasks_for(tx(), principal(secretariat_), now_);
  ASSERT_OK(tasks);
  ASSERT_FALSE(tasks->empty());
  EXPECT_EQ(tasks->front().text, "「臨時打合せ」の議事録が提出期限を過ぎています");
  EXPECT_TRUE(tasks->front().urgent);
}

TEST_F(MeetingsTest, TheFeedTokenIsStoredHashedAndAResetRetiresTheOldOne) {
  ASSERT_OK_AND_ASSIGN(auto first, reset_feed(tx(), principal(bureau_hokkaido_), now_));
  EXPECT_EQ(first.size(), 43u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meeting_feeds WHERE token_hash = ?", {db::Blob{first}}), 0);
  ASSERT_OK_AND_ASSIGN(auto user, feed_user(tx(), first));
  EXPECT_EQ(user, std::optional<std::int64_t>{bureau_hokkaido_});
  ASSERT_OK_AND_ASSIGN(auto second, reset_feed(tx(), principal(bureau_hokkaido_), now_));
  ASSERT_OK_AND_ASSIGN(auto old_user, feed_user(tx(), first));
  EXPECT_FALSE(old_user.has_value());
  ASSERT_OK_AND_ASSIGN(auto new_user, feed_user(tx(), second));
  EXPECT_TRUE(new_user.has_value());
}

TEST_F(MeetingsTest, ICalendarTextIsEscapedFoldedAtSeventyFiveOctetsWithCrlf) {
  EXPECT_EQ(ics_escape("A, B; C\\D\nE"), "A\\, B\\; C\\\\D\\nE");
  std::string long_line = "SUMMARY:" + std::string(100, 'x');
  std::string folded = ics_fold(long_line);
  EXPECT_EQ(folded.substr(0, 75), long_line.substr(0, 75));
  EXPECT_EQ(folded.substr(75, 3), "\r\n ");
  // Japanese text never splits inside a character: each line stays within 75 octets.
  std::string japanese = ics_fold("SUMMARY:" + std::string("未来の教室 定例会（十二月二十五日）議題と資料の確認") + "未来の教室");
  std::size_t start = 0;
  while (start < japanese.size()) {
    auto end = japanese.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 75u);
    start = end + 2;
  }
  std::int64_t id = adhoc("2026-12-25");
  std::string ics = ics_calendar({load(id)}, "会議", "https://kakehashi.example.jp", now_);
  EXPECT_NE(ics.find("DTSTART;TZID=Asia/Tokyo:20261225T100000\r\n"), std::string::npos);
  EXPECT_NE(ics.find("TZID:Asia/Tokyo\r\n"), std::string::npos);
  EXPECT_NE(ics.find("LOCATION:経済産業省 本館 5階 会議室\r\n"), std::string::npos);
}

TEST_F(MeetingsTest, AHolidayImportMovesTheMinutesDueDatesStillOwedAndNotThoseHandedIn) {
  std::int64_t owed = adhoc("2026-11-24");    // Tuesday: due Friday 11/27
  std::int64_t handed = adhoc("2026-11-25");  // Wednesday: due Monday 11/30, minutes already submitted
  ASSERT_OK(save_minutes(tx(), principal(secretariat_), handed, "## 議題\n\n決定: なし", now_));
  ASSERT_OK(submit_minutes(tx(), principal(secretariat_), handed, "/meetings/2", now_));
  EXPECT_EQ(load(owed).minutes_due, day(2026, 11, 27));
  // The official list for 2026 gains a day off on Thursday 11/26 (as when a law adds a holiday).
  auto rules = calendar_.holidays(2026);
  ASSERT_OK(rules);
  std::vector<calendar::OfficialHoliday> official;
  for (const auto& h : *rules) official.push_back({h.date, h.name});
  official.push_back({day(2026, 11, 26), "臨時の休日"});
  ASSERT_OK_AND_ASSIGN(auto changed, calendar::HolidayCalendar::with_official(official));
  ASSERT_OK_AND_ASSIGN(int moved, recompute_calendar_dates(tx(), changed, now_));
  EXPECT_EQ(moved, 1);
  EXPECT_EQ(load(owed).minutes_due, day(2026, 11, 30));
  EXPECT_EQ(load(owed).day_note, "");
  EXPECT_EQ(load(handed).minutes_due, day(2026, 11, 30));  // unchanged: submitted under the old calendar
  EXPECT_EQ(audit_count("meeting.dates_recomputed", "meeting:" + std::to_string(owed)), 1);
  // Nothing left to move the second time.
  ASSERT_OK_AND_ASSIGN(int again, recompute_calendar_dates(tx(), changed, now_));
  EXPECT_EQ(again, 0);
}

}  // namespace
}  // namespace kakehashi::meetings::testing

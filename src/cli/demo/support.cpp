// The demo programme year's support (issue 15, part C): the secretariat's support log for each of
// the ten operators from August to December 2026 (some next steps open, one overdue), mentoring of
// four startups with sessions, about thirty expenses with two small receipt files, the monthly
// plan from August 2026 to March 2027, and the secretariat's six staff members. Everything goes
// through the services (audited), as the secretariat.
#include <fmt/format.h>

#include "auth/users.h"
#include "cli/demo/programme.h"
#include "operations/budget.h"
#include "operations/staff.h"
#include "operations/support.h"

namespace kakehashi::cli::demo {
namespace {

using namespace std::chrono;

Date day(int year, unsigned month, unsigned d) { return *Date::from_ymd(year, month, d); }
// 10:00 Japan time on `d`.
Instant at(Date d) { return sys_seconds{d.sys_days()} + hours{1}; }

struct LogSeed {
  unsigned month, day;
  operations::SupportKind kind;
  const char* topic;
  const char* advice;
  const char* next_step;  // "" for none
  int due_in_days;        // after the log's date
};

// The same accompaniment rhythm for every operator: a kick-off visit, monthly follow-ups, an
// interim review. The operator's name is not in the text, so the table is shared.
constexpr LogSeed kLogs[] = {
    {8, 6, operations::SupportKind::kVisit, "キックオフ訪問（実施計画と体制の確認）",
     "最終目標をマイルストーンに分解し、月ごとの到達点を決めるよう助言。学校側の窓口を早めに一本化すること。",
     "マイルストーン案の確認", 14},
    {9, 10, operations::SupportKind::kOnline, "企業との連携状況の確認",
     "連携企業の候補リストを業種ごとに整理し、授業で扱える実課題の粒度を揃えるよう助言。", "", 0},
    {10, 8, operations::SupportKind::kPhone, "学校との日程調整の進め方",
     "教育委員会経由の依頼文のひな形を共有。2 学期の行事日程を先に押さえる。", "教育委員会向け依頼文の確認", 10},
    {11, 12, operations::SupportKind::kVisit, "中間報告会に向けた進捗確認",
     "プロジェクト数が目標の半分に届いていない。継続型の案件を優先して記録するよう助言。", "中間報告資料のレビュー", 18},
    {12, 1, operations::SupportKind::kMail, "活動実績の記録漏れの確認",
     "出前授業の実施回が活動一覧に未登録。取り込み機能での一括登録を案内。", "活動一覧の取り込み結果の確認", 12},
};

struct MentoringSeed {
  std::size_t operator_index;
  const char* startup;
  operations::StartupStage stage;
  const char* goals;
  std::vector<std::pair<Date, std::pair<const char*, const char*>>> sessions;
};

struct ExpenseSeed {
  Date spent_on;
  operations::ExpenseCategory category;
  std::string line;
  std::string description;
  std::int64_t amount;
};

// A minimal one-page PDF and a 1×1 PNG: the demo's receipt files.
const std::string kReceiptPdf =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
constexpr unsigned char kPngBytes[] = {137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 144, 119, 83, 222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 248, 255, 255, 63, 0, 5, 254, 2, 254, 13, 239, 70, 184, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130};
const std::string kReceiptPng(reinterpret_cast<const char*>(kPngBytes), sizeof kPngBytes);

}  // namespace

Result<void> seed_support_and_budget(db::Transaction& tx, const DemoPeople& people,
                                     const std::vector<operations::Operator>& operators, Instant now) {
  const auth::Principal& secretariat = people.secretariat;
  Date today = tokyo_date(now);
  // Support logs: five per operator, skipping those after today; next steps of the last two
  // left open (owned by the demo secretariat user), earlier ones done. One overdue step.
  for (std::size_t i = 0; i < operators.size(); ++i) {
    const operations::Operator& op = operators[i];
    std::size_t n = 0;
    for (const LogSeed& seed : kLogs) {
      ++n;
      // Stagger the operators over a few days so the log does not look copied.
      Date held = day(2026, seed.month, seed.day).plus_days(int(i % 4));
      if (held > today) continue;
      operations::SupportLog entry;
      entry.held_on = held;
      entry.kind = seed.kind;
      entry.topic = seed.topic;
      entry.advice = seed.advice;
      entry.next_step = seed.next_step;
      if (!entry.next_step.empty()) {
        entry.next_step_due = held.plus_days(seed.due_in_days);
        entry.next_step_owner = secretariat.user_id;
      }
      auto id = operations::log_support(tx, secretariat, op.id, entry, at(held));
      if (!id) return fail(id.error());
      // Steps of the first three logs are done; the November step stays open for the first operator
      // (it is past due), the December ones stay open.
      bool open = n >= 4 && (n == 5 || i == 0);
      if (!entry.next_step.empty() && !open) {
        if (auto r = operations::complete_next_step(tx, secretariat, *id, at(held.plus_days(seed.due_in_days - 2))); !r)
          return fail(r.error());
      }
    }
  }

  // Mentoring of startups among the participants.
  const std::vector<MentoringSeed> mentorings = {
      {2, "株式会社まなびラボ", operations::StartupStage::kSeed, "高校向け探究学習の教材を 3 校で試行し、有料化の条件を見極める",
       {{day(2026, 9, 18), {"教材の試行校の選び方と、効果測定の指標を相談。", "試行校 3 校の候補を挙げる"}},
        {day(2026, 10, 23), {"試行 1 校目の振り返り。教員の準備時間が課題。", "教員向けガイドの作成"}},
        {day(2026, 11, 27), {"価格設定の考え方を整理。自治体予算の時期を確認。", "教育委員会への提案資料"}}}},
      {5, "合同会社フィンエデュ", operations::StartupStage::kEarly, "金融教育プログラムを関西の高校 10 校に広げる",
       {{day(2026, 10, 2), {"金融機関との共同実施の契約形態を相談。", ""}},
        {day(2026, 11, 20), {"実施校の拡大計画と講師の確保。", "講師育成の計画"}}}},
      {8, "株式会社アグリテックキッズ", operations::StartupStage::kNewToEducation,
       "農業 IoT の知見を小中学校の理科・総合学習に生かす", {{day(2026, 11, 6), {"学習指導要領との対応づけを説明。", "単元案の作成"}}}},
      {0, "株式会社ほくとコード", operations::StartupStage::kSeed, "離れた地域の高校とつなぐオンラインのプログラミング講座", {}},
  };
  for (const MentoringSeed& seed : mentorings) {
    operations::Mentoring m;
    m.startup_name = seed.startup;
    m.stage = seed.stage;
    m.goals = seed.goals;
    m.mentor_user_id = secretariat.user_id;
    auto id = operations::create_mentoring(tx, secretariat, operators.at(seed.operator_index).id, m, at(day(2026, 9, 1)));
    if (!id) return fail(id.error());
    for (const auto& [held, text] : seed.sessions) {
      if (held > today) continue;
      operations::MentoringSession s{0, *id, held, text.first, text.second};
      if (auto r = operations::add_mentoring_session(tx, secretariat, *id, s, at(held)); !r) return fail(r.error());
    }
  }

  // The secretariat's expenses: interim events in each region, speakers, publicity.
  std::int64_t call_id = operators.empty() ? 0 : operators.front().call_id;
  std::vector<ExpenseSeed> expenses;
  const char* venues[] = {"札幌", "仙台", "東京", "名古屋", "金沢", "大阪", "広島", "高松", "福岡", "那覇"};
  for (int i = 0; i < 10; ++i) {
    Date d = day(2026, 10 + unsigned(i / 4), 5 + unsigned(i % 4) * 6);
    expenses.push_back({d, operations::ExpenseCategory::kVenue, "中間報告会 会場借料",
                        fmt::format("中間報告会（{}）会場使用料", venues[i]), 88'000 + std::int64_t(i % 3) * 22'000});
    expenses.push_back({d.plus_days(-14), operations::ExpenseCategory::kSpeakers, "講師招へい・旅費",
                        fmt::format("中間報告会（{}）講師旅費・謝金", venues[i]), 54'300 + std::int64_t(i) * 3'100});
  }
  const ExpenseSeed more[] = {
      {day(2026, 8, 20), operations::ExpenseCategory::kPublicity, "広報・周知", "事業紹介リーフレット印刷（5,000 部）", 198'000},
      {day(2026, 9, 14), operations::ExpenseCategory::kPublicity, "広報・周知", "特設ウェブサイト更新", 330'000},
      {day(2026, 10, 30), operations::ExpenseCategory::kPublicity, "広報・周知", "成果事例動画の撮影・編集", 440'000},
      {day(2026, 8, 28), operations::ExpenseCategory::kOther, "消耗品費", "事務局用の名札・ストラップ", 23'650},
      {day(2026, 9, 25), operations::ExpenseCategory::kOther, "通信運搬費", "資料の発送（10 ブロック分）", 18'420},
      {day(2026, 11, 18), operations::ExpenseCategory::kSpeakers, "講師招へい・旅費", "全国連絡会 基調講演者 謝金", 110'000},
      {day(2026, 11, 18), operations::ExpenseCategory::kVenue, "全国連絡会 会場借料", "全国連絡会（東京）会場使用料", 264'000},
      {day(2026, 12, 1), operations::ExpenseCategory::kPublicity, "広報・周知", "成果報告会の告知広告", 165'000},
      {day(2026, 11, 25), operations::ExpenseCategory::kOther, "会議費", "ブロック担当者会議の資料印刷", 12'100},
      {day(2026, 10, 16), operations::ExpenseCategory::kSpeakers, "講師招へい・旅費", "教員研修 講師旅費（那覇）", 96'800},
  };
  expenses.insert(expenses.end(), std::begin(more), std::end(more));
  int receipts = 0;
  for (const ExpenseSeed& seed : expenses) {
    if (seed.spent_on > today) continue;
    operations::Expense e;
    e.spent_on = seed.spent_on;
    e.category = seed.category;
    e.budget_line = seed.line;
    e.description = seed.description;
    e.amount = seed.amount;
    std::optional<operations::Receipt> receipt;
    if (receipts == 0) receipt = operations::Receipt{"領収書_会場使用料_札幌.pdf", "application/pdf", kReceiptPdf, ""};
    if (receipts == 1) receipt = operations::Receipt{"領収書_講師旅費_札幌.png", "image/png", kReceiptPng, ""};
    ++receipts;
    if (auto r = operations::add_expense(tx, secretariat, call_id, e, receipt, at(seed.spent_on)); !r) return fail(r.error());
  }

  // The monthly plan: operators' contracts spread evenly over August–March, the secretariat's
  // categories heavier around the interim events.
  std::int64_t contracts = 0;
  for (const auto& op : operators) contracts += op.contract_amount;
  const char* months[] = {"2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03"};
  const std::int64_t venue[] = {0, 0, 400'000, 600'000, 500'000, 200'000, 300'000, 400'000};
  const std::int64_t speakers[] = {0, 100'000, 300'000, 400'000, 350'000, 150'000, 200'000, 300'000};
  const std::int64_t publicity[] = {200'000, 350'000, 450'000, 100'000, 200'000, 100'000, 150'000, 400'000};
  const std::int64_t other[] = {30'000, 30'000, 30'000, 30'000, 30'000, 30'000, 30'000, 50'000};
  std::vector<operations::PlanCell> plan;
  for (std::size_t m = 0; m < 8; ++m) {
    std::int64_t share = contracts / 8 + (m == 7 ? contracts % 8 : 0);
    plan.push_back({months[m], "operators", share});
    plan.push_back({months[m], "venue", venue[m]});
    plan.push_back({months[m], "speakers", speakers[m]});
    plan.push_back({months[m], "publicity", publicity[m]});
    plan.push_back({months[m], "other", other[m]});
  }
  if (auto r = operations::save_plan(tx, secretariat, call_id, plan, at(day(2026, 8, 3))); !r) return fail(r.error());

  // The secretariat's staff; the demo secretariat and security officer users are linked.
  auto officers = auth::users_with_role(tx, auth::Role::kSecurityOfficer);
  if (!officers) return fail(officers.error());
  std::optional<std::int64_t> officer;
  if (!officers->empty()) officer = officers->front().id;
  const operations::StaffMember staff[] = {
      {0, "架橋 一太", "統括責任者", 30, std::nullopt, true},
      {0, "事務 次郎", "事務局長", 100, secretariat.user_id, true},
      {0, "情報 三郎", "情報セキュリティ責任者", 20, officer, true},
      {0, "連携 友美", "担当者（北海道・東北・関東）", 100, std::nullopt, true},
      {0, "調整 健", "担当者（中部・近畿・北陸）", 100, std::nullopt, true},
      {0, "支援 紗希", "担当者（中国・四国・九州・沖縄）", 80, std::nullopt, true},
  };
  for (const auto& member : staff) {
    if (auto r = operations::add_staff(tx, secretariat, member, at(day(2026, 8, 1))); !r) return fail(r.error());
  }
  return {};
}

}  // namespace kakehashi::cli::demo

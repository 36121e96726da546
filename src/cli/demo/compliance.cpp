// The demo's information-handler roster (issue 21): filed by the security officer, approved by
// METI person by person (each approval a version), and one addition still waiting for METI.
#include <chrono>

#include "cli/demo/programme.h"
#include "compliance/service.h"

namespace kakehashi::cli::demo {
namespace {

struct DemoRosterPerson {
  const char* category;
  const char* organisation;
  const char* name;
  const char* department;
  const char* title;
  const char* address;
  const char* birth_date;
  const char* passport;
  const char* nationality;
  int account;  // 0 none, 1 the security officer login, 2 the secretariat login
};

constexpr DemoRosterPerson kRoster[] = {
    {"responsible", "株式会社架け橋コンサルティング", "情報 三郎", "情報管理室", "室長", "東京都世田谷区桜新町二丁目14番5号",
     "1971-05-12", "", "", 1},
    {"manager", "株式会社架け橋コンサルティング", "事務 次郎", "産学連携事業部", "部長", "神奈川県川崎市中原区小杉町三丁目8番2号",
     "1978-11-03", "", "", 2},
    {"manager", "株式会社架け橋コンサルティング", "高橋 美咲", "産学連携事業部", "課長", "東京都杉並区阿佐谷南一丁目22番9号",
     "1984-02-27", "", "", 0},
    {"staff", "株式会社架け橋コンサルティング", "佐藤 健一", "産学連携事業部", "主任", "埼玉県さいたま市浦和区高砂四丁目5番11号",
     "1989-08-19", "", "", 0},
    {"staff", "株式会社架け橋コンサルティング", "鈴木 由美", "産学連携事業部", "", "東京都練馬区豊玉北五丁目17番3号",
     "1993-04-08", "", "", 0},
    {"staff", "株式会社架け橋コンサルティング", "グエン・ヴァン・アン", "産学連携事業部", "", "東京都江東区大島七丁目3番21号",
     "1995-09-30", "C7283914", "ベトナム", 0},
    {"subcontractor", "株式会社データ整備サービス", "山本 大輔", "システム運用部", "部長", "千葉県船橋市本町六丁目4番18号",
     "1975-12-01", "", "", 0},
    {"subcontractor", "株式会社データ整備サービス", "中村 彩", "システム運用部", "", "東京都大田区蒲田五丁目30番7号",
     "1990-06-14", "", "", 0},
    {"subcontractor", "株式会社みなと翻訳", "林 美玲", "翻訳部", "", "神奈川県横浜市中区山下町一丁目46番2号", "1987-03-22",
     "EH4471852", "中国", 0},
};

}  // namespace

Result<void> seed_compliance(db::Transaction& tx, const DemoPeople& people, Instant now) {
  Instant filed = now - std::chrono::days{120};
  for (const auto& p : kRoster) {
    compliance::ChangeDraft draft;
    draft.kind = compliance::ChangeKind::kAdd;
    draft.category = *compliance::category_from_id(p.category);
    draft.organisation = p.organisation;
    draft.name = p.name;
    draft.department = p.department;
    draft.title = p.title;
    if (p.account == 1) draft.user_id = people.security_officer.user_id;
    if (p.account == 2) draft.user_id = people.secretariat.user_id;
    draft.personal = compliance::PersonalFields{p.address, p.birth_date, p.passport, p.nationality};
    draft.reason = "契約前の情報取扱者名簿（様式4）の提出";
    draft.effective_from = "2026-04-01";
    auto id = compliance::request_change(tx, people.security_officer, draft, filed);
    if (!id) return fail(id.error());
    if (auto r = compliance::approve_change(tx, people.meti, *id, "", filed + std::chrono::days{2}); !r) return r;
  }
  compliance::ChangeDraft pending;
  pending.kind = compliance::ChangeKind::kAdd;
  pending.category = compliance::Category::kStaff;
  pending.organisation = "株式会社架け橋コンサルティング";
  pending.name = "伊藤 さくら";
  pending.department = "産学連携事業部";
  pending.personal = compliance::PersonalFields{"東京都中野区中央三丁目9番14号", "1998-07-05", "", ""};
  pending.reason = "成果報告会の準備のため従事者を 1 名追加します";
  pending.effective_from = "2026-12-15";
  auto id = compliance::request_change(tx, people.security_officer, pending, now - std::chrono::days{1});
  if (!id) return fail(id.error());
  return {};
}

}  // namespace kakehashi::cli::demo

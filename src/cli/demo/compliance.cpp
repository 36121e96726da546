// The demo's information-handler roster (issue 21): filed by the security officer, approved by
// METI person by person (each approval a version), and one addition still waiting for METI.
#include <chrono>

#include "cli/demo/programme.h"
#include "compliance/incidents.h"
#include "compliance/reports.h"
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

// What Kakehashi's operation does for each item (the previous half-year, acknowledged by METI).
constexpr std::pair<int, const char*> kAnswers[] = {
    {2, "実施|統一基準・経済産業省情報セキュリティ管理規程に沿って情報セキュリティ実施手順を定め、全従事者に周知した。"},
    {3, "実施|当期は監査の実施依頼がなかったが、受け入れ体制（窓口: 情報管理責任者）を維持している。"},
    {4, "実施|従事者を情報取扱者名簿（様式4）の者に限定し、名簿に載っていない者は保護すべき情報を開けないよう Kakehashi で制御している。"},
    {5, "実施|再委託先 2 社について、再委託先にも 1)～17) と同等の対策を契約で求め、名簿に記載した。"},
    {6, "該当なし|当期は経済産業省内での作業がなかったため。"},
    {7, "実施|担当職員の許可なく複製していない。作業用の複製は作業後に消去し、記録を残した。"},
    {8, "該当なし|契約期間中のため（事業終了時に kakehashi close-out で削除し、削除証明書を提出する）。"},
    {9, "実施|従事者全員から秘密保持の誓約書を取得した。"},
    {10, "実施|OS・ミドルウェアの更新を毎月適用し、ソフトウェア管理台帳で版とサポート期限を管理した。監査ログは改ざん検知付きで記録している。"},
    {11, "実施|インシデント対応手順を担当職員に提示した。当期は 1 件（誤送信）を第一報から完了まで報告した。"},
    {12, "該当なし|約款による外部サービスで要機密情報を取り扱っていないため。"},
    {13, "該当なし|クラウドサービスを調達していないため。"},
    {14, "該当なし|12)・13) のクラウドサービスを利用していないため。"},
    {15, "実施|管理台帳と SBOM をビルドごとに生成し、脆弱性情報を収集して担当職員に報告した。"},
    {16, "実施|入力検証・出力の無害化・アクセス制御を自動テストで確認している。"},
    {17, "実施|IPA「安全なウェブサイトの作り方」のチェックリストを作成し、提出した。"},
};

Result<void> seed_report_and_incident(db::Transaction& tx, const DemoPeople& people, Instant now) {
  using namespace std::chrono;
  // The previous half-year: answered, submitted and acknowledged.
  compliance::Period current = compliance::period_containing(tokyo_date(now));
  compliance::Period previous = compliance::period_before(current);
  Instant opened = sys_seconds{previous.to.sys_days()} + hours{1};
  auto before = compliance::create_report(tx, people.security_officer, previous, opened);
  if (!before) return fail(before.error());
  std::vector<compliance::ItemAnswer> answers;
  for (const auto& [item, text] : kAnswers) {
    std::string_view t = text;
    auto bar = t.find('|');
    answers.push_back({item, compliance::item_status_from_label(t.substr(0, bar)), std::string(t.substr(bar + 1)), {}});
  }
  const std::string title = "令和8年度「未来の教室」産学連携事業に係る事務局業務";
  if (auto r = compliance::save_report(tx, people.security_officer, *before, answers, title, "2026年4月1日", opened + days{3}); !r)
    return r;
  if (auto r = compliance::add_link_evidence(tx, people.security_officer, *before, 9, "秘密保持誓約書の取得記録（名簿）",
                                             "/compliance", opened + days{3});
      !r)
    return fail(r.error());
  if (auto r = compliance::submit_report(tx, people.security_officer, *before, "/compliance/reports", opened + days{5}); !r)
    return r;
  if (auto r = compliance::acknowledge_report(tx, people.meti, *before, "受領しました。", "/compliance/reports", opened + days{9}); !r)
    return r;
  // The current half-year: in progress, carried over, two items revised.
  Instant started = std::max(sys_seconds{current.from.sys_days()}, now - days{10});
  auto draft = compliance::create_report(tx, people.security_officer, current, started);
  if (!draft) return fail(draft.error());
  answers[9] = {11, std::nullopt, "", {}};
  answers[4] = {6, compliance::ItemStatus::kDone, "12月の成果報告会の準備で経済産業省内で作業した。持ち込んだ機器は事前に許可を得た。", {}};
  if (auto r = compliance::save_report(tx, people.security_officer, *draft, answers, title, "2026年4月1日", started + days{1}); !r)
    return r;

  // One incident, from the first report to its closure.
  compliance::Incident incident;
  incident.title = "成果報告会の案内メールの誤送信";
  incident.what = "成果報告会の案内メール 1 通を、宛先の選択を誤って別の実証事業者の担当者に送信した。";
  incident.discovered_at = now - days{40};
  incident.impact = "誤送信先の担当者 1 名が、別の事業者の担当者の氏名とメールアドレスを知り得た。";
  incident.affected_info = "実証事業者の担当者の氏名・メールアドレス 1 件（申請・審査の情報は含まない）";
  incident.measures = "誤送信先に連絡し、メールの削除を依頼して削除の回答を得た。";
  auto incident_id = compliance::record_incident(tx, people.security_officer, incident, "/compliance/incidents",
                                                 incident.discovered_at + minutes{35});
  if (!incident_id) return fail(incident_id.error());
  compliance::FollowUpForm follow{"誤送信先から削除済みの回答を得た。原因と再発防止策を報告します。", true,
                                  "宛先の入力補完で、似た名前の担当者を選んだまま確認せずに送信した。",
                                  "事業者宛てのメールは Kakehashi の通知から送り、手作業での宛先入力をやめた。送信前の宛先の読み上げ確認を手順に加えた。"};
  if (auto r = compliance::report_follow_up(tx, people.security_officer, *incident_id, follow, "/compliance/incidents/1",
                                            incident.discovered_at + days{2});
      !r)
    return r;
  return compliance::close_incident(tx, people.security_officer, *incident_id, "/compliance/incidents/1",
                                    incident.discovered_at + days{6});
}

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
  if (auto r = seed_report_and_incident(tx, people, now); !r) return r;
  return {};
}

}  // namespace kakehashi::cli::demo

// The demo's programme year: the FY2026 call as it was held (published in April, open from
// 11 May to 12 June), one application per block from ten operators, the committee's decision,
// METI's approval and the publication on 10 July; the ten winners become the operators.
#include "cli/demo/programme.h"

#include <fmt/format.h>

#include "auth/organisations.h"
#include "call/service.h"
#include "geo/geo.h"
#include "operations/service.h"

namespace kakehashi::cli::demo {
namespace {

using namespace std::chrono;

// A Japan-time instant of the demo year.
Instant japan(int year, unsigned month, unsigned day, int hour) {
  return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}} + hours{hour} - kJapanOffset;
}

// A minimal PDF standing in for the application's plan (the demo never inspects it again).
const std::string kPlanPdf =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    "trailer << /Root 1 0 R >>\n%%EOF\n";

struct Plan {
  std::int64_t requested;
  std::int64_t awarded;
  const char* goal;
  int target;
};

// What each operator asked for and got, and the final goal it set (same order as kProgrammeOperators).
constexpr Plan kPlans[10] = {
    {22'000'000, 21'000'000, "道内 3 地域で、企業の実課題を使った探究学習（PBL）を高校 8 校の通常授業に組み込み、自走する地域協議会を立ち上げる", 18},
    {20'000'000, 19'500'000, "東北 6 県の沿岸部で、水産・食品企業と高校が共同開発した授業を 10 校で実施し、翌年度の継続を予算化する", 20},
    {25'000'000, 24'000'000, "首都圏の IT 企業 30 社と中学・高校 15 校をつなぎ、専門人材の派遣とプログラミング授業を継続的な仕組みにする", 30},
    {21'000'000, 20'000'000, "ものづくり企業と工業高校・高専の連携を広域で進め、実務家教員の採用とカリキュラム改革を 5 校で実現する", 20},
    {19'000'000, 18'000'000, "北陸 3 県の伝統産業と小中学校をつなぎ、ふるさと納税（企業版）を財源とする探究学習を 3 市町で制度化する", 15},
    {24'000'000, 23'000'000, "関西の金融機関と高校 12 校で金融教育を展開し、ソーシャル・インパクト・ボンドによる継続財源を設計する", 22},
    {20'000'000, 19'000'000, "中国地方の中山間地域で、空き教室を活用した企業サテライトと学校の共同プログラムを 6 地域で定着させる", 16},
    {18'000'000, 17'000'000, "四国 4 県で英語・観光の専門人材派遣と高校の探究を結び、GCF による資金調達を 2 自治体で実施する", 14},
    {23'000'000, 22'000'000, "九州の半導体・農業企業と高校 10 校で課題解決型授業を実施し、インターンシップを制度化する", 24},
    {18'000'000, 16'500'000, "沖縄の観光・IT 企業と離島を含む高校 6 校をつなぎ、オンラインと現地を組み合わせた探究学習を広げる", 12},
};

}  // namespace

const DemoOperatorOrganisation kProgrammeOperators[10] = {
    {"一般社団法人北海道まなびネット", "hokkaido"},
    {"特定非営利活動法人地域共創ラボ", "tohoku"},
    {"株式会社みらい産学連携", "kanto"},  // the demo operator login's organisation
    {"一般社団法人東海ものづくり教育機構", "tokai"},
    {"株式会社北陸つなぐ研究所", "hokuriku"},
    {"一般社団法人まなびブリッジ", "kinki"},
    {"特定非営利活動法人ちゅうごく未来塾", "chugoku"},
    {"一般社団法人四国キャリア教育推進協会", "shikoku"},
    {"株式会社九州イノベーション教育", "kyushu"},
    {"一般社団法人美ら島ラーニング", "okinawa"},
};

Result<std::vector<operations::Operator>> create_programme(db::Transaction& tx, const DemoPeople& people, Instant) {
  const audit::Actor secretariat = audit::Actor::user(people.secretariat.user_id);
  call::CallSettings settings;
  settings.title = "令和8年度「未来の教室」産学連携 実証事業者の公募（本公募）";
  settings.summary =
      "全国 10 の地域ブロックごとに、企業と学校をつなぎ、企業の実課題を用いた探究学習（PBL）を実施する実証事業者を 1 者ずつ募集しました。"
      "審査の結果、各ブロック 1 者を採択しました。";
  settings.opens_at = japan(2026, 5, 11, 10);
  settings.closes_at = japan(2026, 6, 12, 17);
  for (const auto& block : geo::blocks()) settings.blocks.emplace_back(block.id);
  const Instant drafted = japan(2026, 4, 20, 10);
  auto call_id = call::create_call(tx, settings, secretariat, drafted);
  if (!call_id) return fail(call_id.error());
  const std::vector<std::string> five = {"不十分である", "やや不十分である", "標準的である", "優れている", "特に優れている"};
  for (const call::Criterion& criterion : {
           call::Criterion{0, "事業計画の妥当性", "ヒト・モノ・カネの各面で、企業の実課題を用いた PBL を実施できる計画か。", 30, five},
           call::Criterion{0, "実施体制と実績", "コーディネート・マッチング・地域コミュニティ形成の実績と体制。", 25, five},
           call::Criterion{0, "継続性・自走化", "実証終了後も地域で続く仕組みと、自走化の見通し。", 25, five},
           call::Criterion{0, "地域の人材ニーズとの適合", "地域の産業と人材ニーズに合った内容か。", 20, five},
       }) {
    if (auto added = call::add_criterion(tx, *call_id, criterion, secretariat, drafted); !added) return fail(added.error());
  }
  if (auto r = call::publish_call(tx, *call_id, secretariat, drafted); !r) return fail(r.error());
  auto found = call::find_call(tx, *call_id);
  if (!found) return fail(found.error());
  const call::Call c = **found;

  std::vector<call::DecisionLine> lines;
  for (std::size_t i = 0; i < 10; ++i) {
    const auto& org = kProgrammeOperators[i];
    auto org_id = auth::ensure_organisation(tx, org.name, "operator", std::nullopt, audit::Actor::system(), drafted);
    if (!org_id) return fail(org_id.error());
    const Instant applied = japan(2026, 5, 20 + unsigned(i), 14);
    auto app_id = call::start_application(tx, c, *org_id, audit::Actor::system(), applied);
    if (!app_id) return fail(app_id.error());
    call::ApplicationForm form;
    form.organisation_profile = fmt::format("{}は、{}で企業と学校をつなぐコーディネートを続けてきました。", org.name,
                                            geo::block_label(org.block));
    form.representative_name = fmt::format("代表 {}", i + 1);
    form.contact_name = fmt::format("連携担当 {}", i + 1);
    form.contact_email = fmt::format("contact{}@operator{}.demo.example", i + 1, i + 1);
    form.contact_phone = fmt::format("0{}-1234-56{:02}", i + 1, i);
    form.qualification_coordination = true;
    form.qualification_matching = true;
    form.qualification_community = i % 2 == 0;
    form.plan_projects = kPlans[i].goal;
    form.plan_pbl = "企業の実課題を用いた探究学習を、年間を通じて複数回実施します。";
    form.plan_continuity = "地域の協議会と教育委員会が翌年度以降の運営を引き継ぎます。";
    form.plan_self_sufficiency = "協賛金と企業版ふるさと納税を組み合わせて自走します。";
    form.plan_regional_fit = "地域の主要産業の人材ニーズに合わせてテーマを設定します。";
    form.topics = {"pbl"};
    form.blocks = {{org.block, kPlans[i].requested}};
    if (auto r = call::save_application(tx, *app_id, form, c, audit::Actor::system(), applied); !r) return fail(r.error());
    call::InspectedAttachment plan{"事業計画書.pdf", "", kPlanPdf, kPlanPdf, {}, {}};
    if (auto r = call::add_attachment(tx, *app_id, plan, audit::Actor::system(), applied); !r) return fail(r.error());
    if (auto r = call::submit_application(tx, *app_id, c, audit::Actor::system(), applied); !r) return fail(r.error());
    call::DecisionLine line;
    line.block = org.block;
    line.application_id = *app_id;
    line.amount = kPlans[i].awarded;
    line.rationale = "審査委員会の評価が最も高く、計画の具体性と地域での実績が優れている";
    lines.push_back(std::move(line));
  }
  if (auto r = call::record_decision(tx, c, lines, secretariat, japan(2026, 6, 30, 15)); !r) return fail(r.error());
  if (auto r = call::approve_decision(tx, c, audit::Actor::user(people.meti.user_id), japan(2026, 7, 3, 11)); !r)
    return fail(r.error());
  const Instant published = japan(2026, 7, 10, 10);
  if (auto r = call::publish_results(tx, c, secretariat, published); !r) return fail(r.error());
  if (auto r = operations::adopt_published_results(tx, c, secretariat, published); !r) return fail(r.error());

  auto operators = operations::all_operators(tx, c.id);
  if (!operators) return fail(operators.error());
  for (operations::Operator& op : *operators) {
    std::size_t i = 0;
    while (i < 10 && op.name != kProgrammeOperators[i].name) ++i;
    if (i == 10) continue;
    operations::OperatorChanges changes{op.contract_amount, *Date::from_ymd(2026, 8, 1), op.contract_to, kPlans[i].goal,
                                        kPlans[i].target, op.contacts};
    if (auto r = operations::update_operator(tx, people.secretariat, op.id, changes, published + days{20}); !r)
      return fail(r.error());
    op.contract_from = changes.contract_from;
    op.final_goal = changes.final_goal;
    op.project_target = changes.project_target;
  }
  return operators;
}

}  // namespace kakehashi::cli::demo

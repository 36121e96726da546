// The demo's operators' final reports (成果報告書, issue 25): seven of the ten operators have
// submitted; four were accepted (two consenting to publication), the demo operator's (関東) was
// returned with a comment, two await review, three have not submitted. Through the package
// service; the files are small PDFs made by the document engine.
#include <fmt/format.h>

#include <algorithm>

#include "auth/password.h"
#include "cli/demo/programme.h"
#include "docs/markdown.h"
#include "docs/pdf.h"
#include "package/final_reports.h"

namespace kakehashi::cli::demo {
namespace {

struct FinalReportPlan {
  const char* block;
  const char* state;  // accepted / returned / submitted
  bool consent;
  const char* summary;
};

constexpr FinalReportPlan kFinalReportPlans[] = {
    {"hokkaido", "accepted", true,
     "道内の小中高等学校12校と地元の食品・観光企業が連携し、地域資源を生かした探究学習を実施した。\n\n"
     "冬季のオンライン授業を組み合わせることで、遠隔地の学校も年間を通じて参加でき、事後調査では「地域で働くことに関心がある」と答えた生徒が増えた。"},
    {"tohoku", "accepted", false,
     "沿岸部の学校と水産・防災関連の事業者が協働し、地域課題を題材にしたプロジェクトを10件実施した。\n\n"
     "教員向けの研修会を3回開き、連携の進め方を手引きにまとめた。"},
    {"kanto", "returned", false,
     "首都圏の企業30社と学校の連携を仲介し、プロジェクトを実施した。"},
    {"tokai", "submitted", true,
     "ものづくり企業の技術者が授業に参加し、設計から試作までを生徒が体験するプロジェクトを実施した。"},
    {"hokuriku", "submitted", false,
     "伝統産業の事業者と高等学校が連携し、商品開発に取り組んだ。"},
    {"kinki", "accepted", true,
     "大学・企業・自治体の三者で運営会議を設け、学校からの相談に一つの窓口で応じる体制を作った。\n\n"
     "実施したプロジェクトの半数で、次年度も継続する合意が得られた。"},
    {"chugoku", "accepted", false,
     "中山間地域の小規模校を対象に、複数校が合同で参加するプロジェクトを実施した。"},
};

}  // namespace

Result<void> seed_final_reports(db::Transaction& tx, const DemoPeople& people,
                                const std::vector<operations::Operator>& operators, Instant now) {
  for (const FinalReportPlan& plan : kFinalReportPlans) {
    auto op = std::ranges::find_if(operators, [&](const operations::Operator& o) {
      return std::ranges::any_of(o.blocks, [&](const operations::OperatorBlock& b) { return b.block_id == plan.block; });
    });
    if (op == operators.end()) continue;
    // The demo operator login submits its own; the others act as their organisation.
    auth::Principal who = people.operator_user;
    if (!who.organisation_id || *who.organisation_id != op->organisation_id) {
      who = auth::Principal{};
      who.roles.insert(auth::Role::kOperator);
      who.organisation_id = op->organisation_id;
    }
    auto doc = docs::parse_markdown(fmt::format(
        "---\ntitle: 成果報告書\nsubtitle: {}\nissuer: {}\n---\n\n# 事業の概要\n\n{}\n\n# 成果と課題\n\n本年度の成果を報告する。\n",
        op->name, op->name, plan.summary));
    if (!doc) return fail(doc.error());
    auto pdf = docs::render_pdf(*doc);
    if (!pdf) return fail(pdf.error());
    package::InspectedReport file;
    file.file_name = fmt::format("成果報告書_{}.pdf", op->name);
    file.content_type = "application/pdf";
    file.content = std::move(*pdf);
    for (unsigned char c : auth::sha256(file.content)) file.sha256 += fmt::format("{:02x}", c);
    file.inspection = R"({"type":"pdf","publishable":true,"summary":"公開できます","findings":[]})";
    auto v = package::submit_final_report(tx, who, op->id, file, plan.summary, plan.consent, now);
    if (!v) return fail(v.error());
    std::string_view state = plan.state;
    if (state == "accepted") {
      if (auto r = package::review_final_report(tx, people.secretariat, op->id, package::FinalReportDecision::kAccept, "", now); !r)
        return r;
    } else if (state == "returned") {
      if (auto r = package::review_final_report(tx, people.secretariat, op->id, package::FinalReportDecision::kReturn,
                                                "概要に、実施したプロジェクトの件数と参加した学校数を書き加えてください。", now);
          !r)
        return r;
    }
  }
  return {};
}

}  // namespace kakehashi::cli::demo

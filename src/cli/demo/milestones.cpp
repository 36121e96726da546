// The demo programme year's milestones (issue 15): five per operator towards its final goal, in
// every state, dated relative to `now` so that the dashboard always shows a few red flags
// (milestones past due at 東北, 北陸, 中国 and 九州) and clean blocks elsewhere; evidence as notes,
// links and a small CSV that goes through the publication-safety inspector; some reviewed.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "cli/demo/programme.h"
#include "operations/milestones.h"

namespace kakehashi::cli::demo {
namespace {

using namespace std::chrono;
using operations::MilestoneForm;

struct Step {
  const char* title;
  const char* description;
  int due_days;  // relative to today
};

constexpr Step kSteps[5] = {
    {"キックオフ会議の開催", "連携企業・教育委員会・学校の担当者を集め、年間計画と役割分担を確認する。", -110},
    {"連携校・協力企業の確定", "初年度に参加する学校と協力企業を確定し、覚書を交わす。", -45},
    {"中間報告書の提出", "上半期の実施状況と成果指標の途中経過を事務局に報告する。", -6},
    {"成果発表会の開催", "生徒と企業が共同で取り組んだ課題の成果を地域に向けて発表する。", 45},
    {"自走化計画の策定", "次年度以降の財源と体制（協議会・企業版ふるさと納税など）を計画にまとめる。", 100},
};

// Blocks whose 中間報告 is late on the demo day (red flags), by index of kProgrammeOperators.
bool late(std::size_t i) { return i == 1 || i == 4 || i == 6 || i == 8; }

std::string day_text(Date today, int days) { return today.plus_days(days).iso(); }

// A small CSV of the interim figures, inspected like an upload.
Result<operations::InspectedEvidence> interim_csv(std::size_t i, Instant now) {
  auto path = std::filesystem::temp_directory_path() /
              fmt::format("kakehashi-demo-{}-{}.csv", i, now.time_since_epoch().count());
  {
    std::ofstream out(path, std::ios::binary);
    out << "項目,件数\n連携校,"
        << 3 + i % 4 << "\n協力企業," << 5 + i % 6 << "\n実施回数," << 12 + i * 2 << "\n";
  }
  auto inspected = operations::inspect_evidence(path, "中間報告_集計.csv", fmt::format("demo-{}", i));
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  return inspected;
}

}  // namespace

Result<void> seed_milestones(db::Transaction& tx, const DemoPeople& people,
                             const std::vector<operations::Operator>& operators, Instant now) {
  const Date today = tokyo_date(now);
  auto at = [&](int days) { return now + days * 24h; };
  for (std::size_t i = 0; i < operators.size(); ++i) {
    const operations::Operator& op = operators[i];
    // The demo operator login edits its own; the secretariat keeps the others' (as it does for
    // operators who send their plans by mail).
    const bool own = people.operator_user.organisation_id == op.organisation_id;
    const auth::Principal& editor = own ? people.operator_user : people.secretariat;
    std::vector<std::int64_t> ids;
    for (const Step& step : kSteps) {
      MilestoneForm form{step.title, step.description, day_text(today, step.due_days - int(i % 3)), "", "事業統括責任者",
                         "not_started"};
      auto id = operations::create_milestone(tx, editor, op.id, form, at(-120));
      if (!id) return fail(id.error());
      ids.push_back(*id);
    }
    auto set_status = [&](std::size_t step, const char* status, int days) -> Result<void> {
      MilestoneForm form{kSteps[step].title, kSteps[step].description, day_text(today, kSteps[step].due_days - int(i % 3)),
                         "", "事業統括責任者", status};
      return operations::update_milestone(tx, editor, ids[step], form, at(days));
    };
    // 1: done long ago, with a note, accepted.
    if (auto r = set_status(0, "done", -108); !r) return r;
    if (auto r = operations::add_note(tx, editor, ids[0], "議事録", "参加 18 名。年間計画と役割分担を確認した。", at(-108)); !r)
      return fail(r.error());
    if (auto r = operations::review_milestone(tx, people.secretariat, ids[0], operations::ReviewState::kAccepted, "",
                                              fmt::format("/operations/milestones/{}", ids[0]), at(-100));
        !r)
      return r;
    // 2: done with a link; every third operator is asked for more.
    if (auto r = set_status(1, "done", -44); !r) return r;
    if (auto r = operations::add_link(tx, editor, ids[1], "覚書の締結について（お知らせ）",
                                      fmt::format("https://example.jp/operators/{}/news/agreement", op.id), at(-44));
        !r)
      return fail(r.error());
    if (i % 3 == 0) {
      if (auto r = operations::review_milestone(tx, people.secretariat, ids[1], operations::ReviewState::kNeedsWork,
                                                "協力企業の一覧（社名と担当部署）を添付してください。",
                                                fmt::format("/operations/milestones/{}", ids[1]), at(-40));
          !r)
        return r;
    }
    // 3: the interim report: late (in progress, past due) at four blocks, else done with the CSV.
    if (late(i)) {
      if (auto r = set_status(2, i == 6 ? "delayed" : "in_progress", -30); !r) return r;
    } else {
      if (auto r = set_status(2, "done", -7); !r) return r;
      auto csv = interim_csv(i, now);
      if (!csv) return fail(csv.error());
      if (auto r = operations::add_file(tx, editor, ids[2], *csv, "中間報告の集計", at(-7)); !r) return fail(r.error());
    }
    // 4 and 5: upcoming; one operator cancelled its own 自走化計画 in favour of a joint one.
    if (auto r = set_status(3, i % 2 == 0 ? "in_progress" : "not_started", -3); !r) return r;
    if (i == 9) {
      if (auto r = set_status(4, "cancelled", -2); !r) return r;
    }
  }
  return {};
}

}  // namespace kakehashi::cli::demo

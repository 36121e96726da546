// kakehashi match: schedule one-to-one meetings and size the grid (events/match).
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/common.h"
#include "events/match/json.h"
#include "events/match/plan.h"
#include "events/match/schedule.h"

namespace kakehashi::cli {

namespace {

namespace match = kakehashi::events::match;

match::Problem read_problem(const std::string& path) {
  return value_or_exit(match::parse_problem(read_file_or_exit(path)));
}

}  // namespace

void register_match(CLI::App& app) {
  auto* group = app.add_subcommand("match", "マッチング商談会の面談スケジュールを作成する");
  group->require_subcommand(1);

  struct ScheduleArgs {
    std::string input;
    int iterations = -1;
  };
  auto schedule_args = std::make_shared<ScheduleArgs>();
  auto* schedule = group->add_subcommand(
      "schedule", "申込みから 1 対 1 の面談を時間枠 × テーブルに割り当て、JSON で出力する");
  schedule->add_option("--input", schedule_args->input, "入力 JSON ファイル")->required();
  schedule
      ->add_option("--iterations", schedule_args->iterations,
                   "改善探索の反復回数（既定: 問題の大きさから自動。ベンチマーク用）")
      ->check(CLI::Range(-1, 1'000'000));
  schedule->callback([schedule_args] {
    match::Problem problem = read_problem(schedule_args->input);
    match::OptimizerOptions options;
    options.iterations = schedule_args->iterations;
    match::Schedule result = value_or_exit(match::schedule_meetings(problem, options));
    std::cout << match::schedule_to_json(result) << "\n";
  });

  struct PlanArgs {
    int participants = 0;
    int meetings_per_person = 0;
    int slots = 0;
    std::string input;
  };
  auto plan_args = std::make_shared<PlanArgs>();
  auto* plan = group->add_subcommand(
      "plan", "必要なテーブル数を見積もる（目安、または --input の申込みに基づく推定）");
  auto* participants = plan->add_option("--participants", plan_args->participants, "参加者数");
  auto* per_person =
      plan->add_option("--meetings-per-person", plan_args->meetings_per_person, "1 人あたりの面談数");
  auto* slots = plan->add_option("--slots", plan_args->slots, "時間枠数");
  auto* input = plan->add_option("--input", plan_args->input, "申込みを含む入力 JSON ファイル");
  input->excludes(participants)->excludes(per_person);
  plan->callback([plan_args, participants, per_person, slots, input] {
    if (input->count() > 0) {
      if (slots->count() > 0) {
        throw CommandError(kExitUsage, "--input と --slots は同時に指定できません");
      }
      match::Problem problem = read_problem(plan_args->input);
      match::TableEstimate estimate = value_or_exit(match::estimate_tables(problem));
      std::cout << fmt::format("申込みに基づく必要テーブル数: {} 卓（総重み {}、時間枠 {} 枠）\n",
                               estimate.tables, estimate.total_weight, problem.slots.size());
      return;
    }
    if (participants->count() == 0 || per_person->count() == 0 || slots->count() == 0) {
      throw CommandError(kExitUsage,
                         "--participants、--meetings-per-person、--slots をすべて指定するか、"
                         "--input を指定してください");
    }
    match::TablePlan result = value_or_exit(match::plan_tables(
        plan_args->participants, plan_args->meetings_per_person, plan_args->slots));
    std::cout << fmt::format("面談数の見込み: {} 件（{} 人 × {} 件 ÷ 2）\n", result.meetings,
                             plan_args->participants, plan_args->meetings_per_person);
    std::cout << fmt::format("1 枠あたりの面談数: {} 件（{} 枠）\n", result.per_slot,
                             plan_args->slots);
    std::cout << fmt::format("必要なテーブル数: {}〜{} 卓（1 枠あたりの面談数 + 10〜20%）\n",
                             result.tables_low, result.tables_high);
  });
}

}  // namespace kakehashi::cli

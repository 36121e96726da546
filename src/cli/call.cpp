// kakehashi call: the public call's solvers (call/engine) on JSON files, and its periodic work
// run once by hand.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "base/date.h"
#include "call/engine/json.h"
#include "call/service.h"
#include "cli/common.h"

namespace kakehashi::cli {

namespace {

namespace engine = kakehashi::call::engine;

}  // namespace

void register_call(CLI::App& app) {
  auto* group = app.add_subcommand("call", "公募の採択案と審査委員の割り当てを計算する");
  group->require_subcommand(1);

  auto solve_input = std::make_shared<std::string>();
  auto* solve = group->add_subcommand(
      "solve",
      "各ブロック 1 件ずつ、採択額の範囲と予算上限の中で合計点が最大の採択案を JSON で出力する");
  solve->add_option("--input", *solve_input, "入力 JSON ファイル")->required();
  solve->callback([solve_input] {
    engine::SelectionInput input =
        value_or_exit(engine::parse_selection_input(read_file_or_exit(*solve_input)));
    engine::Selection selection = value_or_exit(engine::solve_selection(input));
    std::cout << engine::selection_to_json(selection) << "\n";
  });

  auto assign_input = std::make_shared<std::string>();
  auto* assign = group->add_subcommand(
      "assign",
      "申請ごとに k 人の審査委員を、利害関係なく上限件数の範囲で専門分野が合うよう割り当て、JSON "
      "で出力する");
  assign->add_option("--input", *assign_input, "入力 JSON ファイル")->required();
  assign->callback([assign_input] {
    engine::AssignmentInput input =
        value_or_exit(engine::parse_assignment_input(read_file_or_exit(*assign_input)));
    engine::Assignment assignment = value_or_exit(engine::assign_reviewers(input));
    std::cout << engine::assignment_to_json(assignment, input) << "\n";
  });

  // What the server's periodic task "call.review_reminders" does every 20 seconds, run now: after
  // a review deadline was moved, or on an installation whose server is stopped. Idempotent: a
  // call whose reviewers were reminded is not reminded again.
  auto* remind = group->add_subcommand(
      "remind", "審査期限の 2 日前を過ぎた公募の審査委員に、未提出の審査のリマインドを送る（送信済みの公募には送らない）");
  remind->callback([] {
    auto database = open_database();
    SystemClock clock;
    int sent = value_or_exit(database->transact<int>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return call::remind_before_review_deadlines(tx, clock.now());
    }));
    std::cout << fmt::format("審査委員 {} 人にリマインドを送りました。\n", sent);
  });
}

}  // namespace kakehashi::cli

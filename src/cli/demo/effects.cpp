// The demo's effect verification (issue 20): for each of the ten operators the four shared
// indicators (schools, pupils, teachers, companies) and two indicators of its own, with monthly
// actuals from August to November 2026; and three pre/post surveys (Likert answers of pupils,
// one reversed item, a free-text column) uploaded, mapped and analysed through the services as
// the secretariat. Answers come from a fixed pseudo-random sequence, so every demo is the same.
#include <cmath>
#include <fmt/format.h>

#include "cli/demo/programme.h"
#include "effects/service.h"

namespace kakehashi::cli::demo {
namespace {

// A small deterministic generator (numbers in [0, 1)).
struct Sequence {
  std::uint64_t state;
  double next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / double(1ULL << 53);
  }
};

constexpr const char* kMonths[] = {"2026-08", "2026-09", "2026-10", "2026-11"};

struct OwnKpi {
  const char* name;
  const char* unit;
  const char* kind;
  bool cumulative;
  double baseline, target;
  double per_month[4];
  const char* source;
};

constexpr OwnKpi kOwn[] = {
    {"企業から提供された探究課題の数", "件", "industry", true, 0, 40, {4, 7, 9, 8}, "課題提供シートの集計"},
    {"探究学習に満足した生徒の割合", "%", "education", false, 55, 80, {58, 63, 67, 71}, "各回の振り返りアンケート"},
};

// Actuals of a shared indicator for operator `i`, month `m` (the size of the operator varies).
double shared_actual(std::string_view key, std::size_t i, std::size_t m) {
  double scale = 0.7 + 0.1 * double(i % 5);
  double base = key == "schools" ? 3 : key == "pupils" ? 180 : key == "teachers" ? 12 : 4;
  double ramp[] = {0.6, 1.0, 1.3, 1.1};
  return std::round(base * scale * ramp[m]);
}
double shared_target(std::string_view key, std::size_t i) {
  double scale = 0.7 + 0.1 * double(i % 5);
  double base = key == "schools" ? 18 : key == "pupils" ? 1000 : key == "teachers" ? 70 : 22;
  return std::round(base * scale);
}

struct Item {
  const char* column;
  const char* label;
  double pre_mean;  // on the 1–4 scale, as answered
  double shift;     // change after the project, as answered
  bool reversed;
};
constexpr Item kItems[] = {
    {"Q1 地域の企業の仕事に興味がある", "地域企業への興味", 2.3, 0.55, false},
    {"Q2 学んだことを社会で生かせると思う", "学びの社会での活用", 2.5, 0.35, false},
    {"Q3 自分で課題を見つけて調べることができる", "課題発見・探究", 2.2, 0.45, false},
    {"Q4 人前で自分の考えを話すのは苦手だ", "発表への苦手意識（逆転）", 2.9, -0.30, true},
    {"Q5 将来の進路について具体的に考えている", "進路の具体性", 2.4, 0.05, false},
};
constexpr const char* kScale[] = {"全くそう思わない", "あまりそう思わない", "ややそう思う", "とてもそう思う"};
constexpr const char* kComments[] = {"企業の方の話が面白かった", "", "もっと時間がほしかった", "", "",
                                     "発表は緊張したが達成感があった", "", "地元で働くことも考えたい"};

std::string answer(Sequence& seq, double mean) {
  double noisy = mean + (seq.next() + seq.next() + seq.next() - 1.5) * 1.4;
  int level = std::clamp(int(std::lround(noisy)), 1, 4);
  return kScale[level - 1];
}

// The pre and post exports of one class as Forms writes them (UTF-8 CSV).
std::pair<std::string, std::string> exports(std::uint64_t seed, int pupils, int missing_post) {
  Sequence seq{seed};
  std::string header = "タイムスタンプ,出席番号";
  for (const Item& item : kItems) header += fmt::format(",{}", item.column);
  header += ",感想\r\n";
  std::string pre = header, post = header;
  for (int p = 1; p <= pupils; ++p) {
    std::string id = fmt::format("S{:03}", p);
    double ability = (seq.next() - 0.5) * 0.8;
    pre += fmt::format("2026/09/0{} 9:{:02},{}", 1 + p % 5, p % 60, id);
    for (const Item& item : kItems) pre += "," + answer(seq, item.pre_mean + ability);
    pre += ",\r\n";
    if (p > pupils - missing_post) continue;
    post += fmt::format("2026/11/2{} 14:{:02},{}", p % 5, p % 60, id);
    for (const Item& item : kItems) post += "," + answer(seq, item.pre_mean + item.shift + ability);
    post += fmt::format(",{}\r\n", kComments[p % 8]);
  }
  return {pre, post};
}

effects::InspectedUpload upload(std::string name, std::string bytes) {
  return {std::move(name), "", std::move(bytes), R"({"type":"csv","summary":"デモデータ","findings":[]})"};
}

}  // namespace

Result<void> seed_effects(db::Transaction& tx, const DemoPeople& people, const std::vector<operations::Operator>& operators,
                          Instant now) {
  const auth::Principal& who = people.secretariat;
  for (std::size_t i = 0; i < operators.size(); ++i) {
    const operations::Operator& op = operators[i];
    if (op.blocks.empty()) continue;
    std::string block = op.blocks.front().block_id;
    for (const auto& shared : effects::shared_indicators()) {
      effects::KpiDraft d;
      d.block_id = block;
      d.shared_key = std::string(shared.key);
      d.baseline = "0";
      d.target = fmt::format("{}", shared_target(shared.key, i));
      auto id = effects::create_kpi(tx, who, op.id, d, now);
      if (!id) return fail(id.error());
      for (std::size_t m = 0; m < 4; ++m) {
        effects::ActualDraft a{kMonths[m], fmt::format("{}", shared_actual(shared.key, i, m)), "参加校・参加企業への月次照会",
                               ""};
        if (auto r = effects::record_actual(tx, who, *id, a, now); !r) return r;
      }
    }
    for (const OwnKpi& own : kOwn) {
      effects::KpiDraft d;
      d.block_id = block;
      d.name = own.name;
      d.unit = own.unit;
      d.kind = own.kind;
      d.cumulative = own.cumulative ? "1" : "0";
      d.baseline = fmt::format("{}", own.baseline);
      d.target = fmt::format("{}", own.target);
      auto id = effects::create_kpi(tx, who, op.id, d, now);
      if (!id) return fail(id.error());
      for (std::size_t m = 0; m < 4; ++m) {
        double value = own.per_month[m] + (own.cumulative ? double(i % 3) : double(i % 4) * 2 - 3);
        effects::ActualDraft a{kMonths[m], fmt::format("{}", value), own.source, ""};
        if (auto r = effects::record_actual(tx, who, *id, a, now); !r) return r;
      }
    }
  }
  struct SurveySeed {
    std::size_t operator_index;
    const char* title;
    int pupils, missing_post;
  };
  // The first survey is the demo operator login's, so its screens have one to show.
  if (operators.empty()) return {};
  std::size_t mine = 0;
  for (std::size_t i = 0; i < operators.size(); ++i)
    if (people.operator_user.organisation_id && operators[i].organisation_id == *people.operator_user.organisation_id) mine = i;
  const SurveySeed surveys[] = {
      {mine, "探究学習 意識調査（高校 2 年）", 38, 3},
      {(mine + 3) % operators.size(), "企業連携 PBL 事前・事後アンケート", 52, 4},
      {(mine + 6) % operators.size(), "キャリア教育プログラム 振り返り調査", 27, 2},
  };
  for (const SurveySeed& seed : surveys) {
    if (seed.operator_index >= operators.size()) continue;
    const operations::Operator& op = operators[seed.operator_index];
    effects::SurveyDraft d{"", op.blocks.front().block_id, seed.title};
    auto id = effects::create_survey(tx, who, op.id, d, now);
    if (!id) return fail(id.error());
    auto [pre, post] = exports(0x5eed + seed.operator_index * 7919, seed.pupils, seed.missing_post);
    if (auto r = effects::stage_files(tx, who, *id, upload("事前アンケート.csv", pre), upload("事後アンケート.csv", post), now);
        !r)
      return r;
    effects::SurveyMapping m;
    m.respondent = "出席番号";
    for (const Item& item : kItems) m.items.push_back({item.column, item.label, item.reversed});
    for (const char* label : kScale) m.scale.emplace_back(label);
    m.comments.emplace_back("感想");
    if (auto r = effects::save_mapping(tx, who, *id, m, now); !r) return r;
    if (auto r = effects::run(tx, who, *id, now); !r) return r;
  }
  return {};
}

}  // namespace kakehashi::cli::demo

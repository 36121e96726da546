// `kakehashi knowledge`: the case collection from the console (issue 19).
//   report  the published collection as report chapters (Markdown for the document engine)
//   bench   search latency on N synthetic published cases (p50/p99 per query length) against a
//           plain LIKE '%q%' scan of the same table in the same run, and a correctness check:
//           for every query the indexed search returns exactly as many cases as the scan.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/date.h"
#include "cli/common.h"
#include "geo/geo.h"
#include "knowledge/opendata.h"
#include "knowledge/search.h"
#include "knowledge/service.h"

namespace kakehashi::cli {
namespace {

constexpr const char* kPhrases[] = {
    "地元企業の社員が英語の授業にゲスト講師として参加した。", "信用金庫の職員が金融教育の出前授業を行った。",
    "IT企業のエンジニアがプログラミングの授業を支援した。", "高校改革の一環として探究の時間に企業の実課題を扱った。",
    "町はふるさと納税を財源に連携事業を続けた。", "生徒はロールプレイで商談の場面を体験した。",
    "教員が夏休みに製造業で研修を受けた。", "大学院生がメンターとして探究活動に伴走した。",
    "工場と離島の学校をオンラインで結んだ。", "センサー教材を使って身の回りの現象を測った。",
    "観光事業者と英語の観光ガイド教材を共同で開発した。", "コーディネーターが学校と企業の日程を調整した。",
    "生徒の提案から店舗の陳列が変わった。", "企業版ふるさと納税で3年間の財源を確保した。",
    "特別支援学校と物流企業が作業学習を共同で設計した。", "クラウドファンディングで商品の製造費を集めた。",
    "地方銀行の基金が学校の小さな取組を助成した。", "職場体験を課題解決型に作り替えた。",
    "ﾛﾎﾞｯﾄ競技会に向けて放課後に試作を重ねた。", "保護者にねらいと安全対策を事前に説明した。",
    "成果発表会に企業の経営者を招いた。", "データ分析の教材として農業法人の記録を使った。",
    "起業家が生徒のビジネスプラン作りを指導した。", "教育委員会が兼業の手続を手引きにまとめた。",
};
constexpr const char* kTitles[] = {"英語の授業に企業人材", "金融教育の出前授業", "プログラミング教室", "探究と実課題",
                                   "ふるさと納税で財源", "工場のオンライン見学", "教員の企業研修", "地域商品の開発"};
constexpr const char* kQueries[] = {"英", "町", "金", "英語", "金融", "it", "授業", "ﾛﾎﾞｯﾄ", "ふるさと納税",
                                    "プログラミング", "出前授業", "商談の場面", "ぷろぐらみんぐ", "宇宙開発"};

struct Lcg {
  std::uint64_t state = 20261203;
  std::uint64_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  }
};

double percentile(std::vector<double> v, double p) {
  std::ranges::sort(v);
  if (v.empty()) return 0;
  std::size_t at = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[at];
}

}  // namespace

void register_knowledge(CLI::App& app) {
  auto* knowledge = app.add_subcommand("knowledge", "事例集・ポイント集（報告書の章、検索の性能測定）");
  knowledge->require_subcommand(1);

  auto* report = knowledge->add_subcommand("report", "公開中の事例集・ポイント集を報告書の章（Markdown）として書き出す");
  auto out = std::make_shared<std::string>();
  report->add_option("--out", *out, "書き出すファイル（省略時は標準出力）");
  report->callback([out] {
    auto database = open_database();
    auto tx = value_or_exit(database->begin(db::TxMode::kRead));
    auto chapters = value_or_exit(knowledge::report_chapters(*tx));
    if (out->empty()) {
      std::cout << chapters.markdown;
    } else {
      std::FILE* f = std::fopen(out->c_str(), "wb");
      if (!f) throw CommandError(kExitUsage, "書き出せません: " + *out);
      std::fwrite(chapters.markdown.data(), 1, chapters.markdown.size(), f);
      std::fclose(f);
      std::cerr << fmt::format("事例 {} 件・教訓 {} 件を {} に書き出しました。\n", chapters.cases, chapters.lessons, *out);
    }
  });

  struct BenchOptions {
    int cases = 10000;
    int runs = 50;
  };
  auto bench = std::make_shared<BenchOptions>();
  auto* bench_cmd = knowledge->add_subcommand("bench", "検索の速さを測る（合成した公開事例で、LIKE 走査と比較）");
  bench_cmd->add_option("--cases", bench->cases, "合成する公開事例の数")->capture_default_str();
  bench_cmd->add_option("--runs", bench->runs, "検索語ごとの繰り返し回数")->capture_default_str();
  bench_cmd->callback([bench] {
    auto database = open_database();
    SystemClock clock;
    auto now = clock.now();
    // Synthetic published cases: a title and 8–14 phrases each, varied regions and categories.
    auto started = std::chrono::steady_clock::now();
    value_or_exit(database->write([&](db::Transaction& tx) -> Result<void> {
      Lcg rng;
      const auto& blocks = geo::blocks();
      for (int i = 0; i < bench->cases; ++i) {
        knowledge::Item item;
        item.kind = knowledge::Kind::kCase;
        item.status = knowledge::Status::kPublished;
        item.title = fmt::format("{}（{}）", kTitles[rng.next() % std::size(kTitles)], i + 1);
        int n = 8 + static_cast<int>(rng.next() % 7);
        for (int k = 0; k < n; ++k) (k < 2 ? item.summary : item.body) += kPhrases[rng.next() % std::size(kPhrases)];
        item.category = std::string(knowledge::categories()[rng.next() % 3].code);
        item.block_id = std::string(blocks[rng.next() % blocks.size()].id);
        item.school_types = {std::string(knowledge::school_types()[rng.next() % 5].code)};
        item.effects = {std::string(knowledge::effects()[rng.next() % 7].code)};
        item.year = 2025 + static_cast<int>(rng.next() % 2);
        item.consent = true;
        item.created_at = item.updated_at = iso_utc(now);
        item.published_at = iso_utc(now - std::chrono::seconds(i));
        auto id = knowledge::store_item(tx, item);
        if (!id) return fail(id.error());
      }
      return {};
    }));
    double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << fmt::format("{} 件の公開事例を作成（{:.1f} 秒）\n", bench->cases, load_s);
    std::cout << "query\tchars\tmatches\tsearch_p50_ms\tsearch_p99_ms\tlike_p50_ms\tlike_p99_ms\n";
    std::vector<double> all_search, all_like;
    bool correct = true;
    for (const char* q : kQueries) {
      std::vector<double> search_ms, like_ms;
      std::int64_t total = 0, like_total = 0;
      auto tx = value_or_exit(database->begin(db::TxMode::kRead));
      for (int r = 0; r < bench->runs; ++r) {
        knowledge::SearchRequest s;
        s.q = q;
        auto t0 = std::chrono::steady_clock::now();
        auto result = value_or_exit(knowledge::search_published(*tx, s));
        auto t1 = std::chrono::steady_clock::now();
        auto like = value_or_exit(knowledge::like_scan_count(*tx, q));
        auto t2 = std::chrono::steady_clock::now();
        total = result.total;
        like_total = like;
        search_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        like_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
      }
      if (total != like_total) correct = false;
      all_search.insert(all_search.end(), search_ms.begin(), search_ms.end());
      all_like.insert(all_like.end(), like_ms.begin(), like_ms.end());
      std::cout << fmt::format("{}\t{}\t{}{}\t{:.2f}\t{:.2f}\t{:.2f}\t{:.2f}\n", q,
                               knowledge::term_length(knowledge::normalize(q)), total,
                               total == like_total ? "" : fmt::format(" (LIKE: {})", like_total),
                               percentile(search_ms, 0.5), percentile(search_ms, 0.99), percentile(like_ms, 0.5),
                               percentile(like_ms, 0.99));
    }
    std::cout << fmt::format("all\t\t\t{:.2f}\t{:.2f}\t{:.2f}\t{:.2f}\n", percentile(all_search, 0.5),
                             percentile(all_search, 0.99), percentile(all_like, 0.5), percentile(all_like, 0.99));
    std::cout << (correct ? "every query: indexed search == LIKE scan\n" : "MISMATCH between indexed search and LIKE scan\n");
    if (!correct) throw CommandError(1, "検索結果の件数が LIKE 走査と一致しません");
  });
}

}  // namespace kakehashi::cli

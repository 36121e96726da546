// The demo's report package (issue 25): the written chapters of the report (はじめに approved,
// 事業の背景 with one third-party table approved then back in review, おわりに still a draft) and
// 様式1's text, through the package service.
#include "cli/demo/programme.h"
#include "package/service.h"

namespace kakehashi::cli::demo {

Result<void> seed_package(db::Transaction& tx, const DemoPeople& people, Instant now) {
  const auto& who = people.secretariat;
  auto chapters = package::list_chapters(tx, who);
  if (!chapters) return fail(chapters.error());
  for (const auto& c : *chapters) {
    if (c.source != "form1") continue;
    if (auto r = package::save_chapter(tx, who, c.id, c.title,
                                       "## 事業の目的\n\n学校と地域の企業・大学・自治体をつなぎ、児童生徒が社会の実課題に取り組む学びを全国に広げる。\n\n"
                                       "## 事業の内容\n\n全国10の地域ブロックで実証事業者を公募により選定し、プロジェクトの実施、伴走支援、中間報告会と全国成果報告会の開催、効果検証を行った。\n\n"
                                       "## 事業の成果\n\n各ブロックで学校と企業の連携によるプロジェクトが実施され、事前・事後調査で学習意欲の向上が確認された。事例集とポイント集を公開した。\n\n"
                                       "## 今後の課題\n\n連携の担い手の確保と、財源を含めた持続的な実施体制づくりが課題である。\n",
                                       now);
        !r)
      return r;
    if (auto r = package::set_review_status(tx, who, c.id, package::ReviewStatus::kApproved, now); !r) return r;
  }
  auto intro = package::create_chapter(
      tx, who, "はじめに",
      "本報告書は、経済産業省「未来の教室」実証事業の本年度の成果をまとめたものである。\n\n"
      "## 本報告書の構成\n\n第2章以降で公募と採択、実証事業者の取組、プロジェクトとイベント、効果検証の結果を述べ、付録に事例集とポイント集を収める。\n",
      now);
  if (!intro) return fail(intro.error());
  auto overview = package::create_chapter(
      tx, who, "事業の背景",
      "## 学校と社会の連携をめぐる状況\n\n探究的な学びの広がりとともに、学校外の人材や資源を授業に生かす取組が各地で始まっている。\n\n"
      "| 年度 | 連携した学校の割合（%） |\n|---|--:|\n| 2022 | 31.5 |\n| 2023 | 35.2 |\n| 2024 | 38.9 |\n\n"
      "Table: 地域の企業等と連携した学校の割合\n"
      "権利: 第三者 / 出典: 教育連携実態調査 / 権利者: 一般財団法人 教育連携研究所\n\n"
      "```chart\n{\"title\":\"本事業の参加校数\",\"type\":\"bar\",\"unit\":\"校\",\"categories\":[\"2024年度\",\"2025年度\",\"2026年度\"],"
      "\"series\":[{\"name\":\"参加校数\",\"values\":[42,68,95]}]}\n```\n\n"
      "Figure: 本事業の参加校数の推移\n",
      now);
  if (!overview) return fail(overview.error());
  if (auto r = package::move_chapter(tx, who, *intro, 1, now); !r) return r;
  if (auto r = package::move_chapter(tx, who, *overview, 2, now); !r) return r;
  if (auto r = package::set_review_status(tx, who, *intro, package::ReviewStatus::kApproved, now); !r) return r;
  // 事業の背景 was approved, then sent back for another look: the report keeps its approved text.
  if (auto r = package::set_review_status(tx, who, *overview, package::ReviewStatus::kApproved, now); !r) return r;
  if (auto r = package::set_review_status(tx, who, *overview, package::ReviewStatus::kInReview, now); !r) return r;
  // おわりに is still a draft: the build leaves it out and says so.
  auto closing = package::create_chapter(
      tx, who, "おわりに",
      "本年度の実証で得られた知見を、次年度以降の事業設計に生かしていく。\n\n（関係者への謝辞を追記する）\n", now);
  if (!closing) return fail(closing.error());
  return package::move_chapter(tx, who, *closing, 80, now);
}

}  // namespace kakehashi::cli::demo

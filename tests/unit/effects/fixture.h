// The operations fixture's programme year (operators A: 北海道・北陸, B: 東海, C: 近畿) with
// helpers for the effects tests: principals and a pair of pre/post exports.
#pragma once

#include <string>

#include "effects/service.h"
#include "unit/operations/fixture.h"

namespace kakehashi::effects::testing {

using operations::testing::ProgrammeFixture;

// Forms-style exports of one class: 出席番号 keys S01…S08 (S08 only before, S09 only after),
// three 4-point items, Q3 worded negatively, a free-text column.
inline const std::string kPre =
    "タイムスタンプ,出席番号,Q1 興味がある,Q2 調べられる,Q3 発表は苦手だ,感想\n"
    "2026/09/01 9:00,S01,あまりそう思わない,ややそう思う,とてもそう思う,\n"
    "2026/09/01 9:01,S02,全くそう思わない,あまりそう思わない,ややそう思う,\n"
    "2026/09/01 9:02,S03,ややそう思う,ややそう思う,あまりそう思わない,\n"
    "2026/09/01 9:03,S04,あまりそう思わない,全くそう思わない,とてもそう思う,\n"
    "2026/09/01 9:04,S05,あまりそう思わない,あまりそう思わない,ややそう思う,\n"
    "2026/09/01 9:05,S06,全くそう思わない,ややそう思う,ややそう思う,\n"
    "2026/09/01 9:06,S07,ややそう思う,あまりそう思わない,とてもそう思う,\n"
    "2026/09/01 9:07,S08,あまりそう思わない,あまりそう思わない,ややそう思う,\n";
inline const std::string kPost =
    "タイムスタンプ,出席番号,Q1 興味がある,Q2 調べられる,Q3 発表は苦手だ,感想\n"
    "2026/11/20 14:00,S01,とてもそう思う,ややそう思う,ややそう思う,楽しかった\n"
    "2026/11/20 14:01,S02,ややそう思う,あまりそう思わない,あまりそう思わない,\n"
    "2026/11/20 14:02,S03,とてもそう思う,とてもそう思う,あまりそう思わない,企業の話が面白かった\n"
    "2026/11/20 14:03,S04,ややそう思う,あまりそう思わない,ややそう思う,\n"
    "2026/11/20 14:04,S05,ややそう思う,ややそう思う,あまりそう思わない,\n"
    "2026/11/20 14:05,S06,あまりそう思わない,ややそう思う,ややそう思う,\n"
    "2026/11/20 14:06,S07,とてもそう思う,ややそう思う,ややそう思う,\n"
    "2026/11/20 14:07,S09,ややそう思う,ややそう思う,ややそう思う,\n";

inline InspectedUpload upload(std::string name, std::string bytes) {
  return {std::move(name), "0", std::move(bytes), "{}"};
}

inline SurveyMapping standard_mapping() {
  SurveyMapping m;
  m.respondent = "出席番号";
  m.items = {{"Q1 興味がある", "興味", false}, {"Q2 調べられる", "", false}, {"Q3 発表は苦手だ", "発表への苦手意識", true}};
  m.scale = {"全くそう思わない", "あまりそう思わない", "ややそう思う", "とてもそう思う"};
  m.comments = {"感想"};
  return m;
}

}  // namespace kakehashi::effects::testing

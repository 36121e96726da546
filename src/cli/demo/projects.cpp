// The demo programme year's projects (issue 15): each of the ten operators imports an activity
// list through the same import path the screens use (stage, mapping, preview, confirm), about
// 20 projects and 100 sessions each, written with the spelling variants real lists have
// (株式会社 / (株) / ㈱, full-width letters, 第N回) that the counting rule merges. The demo
// operator also has one staged import waiting for its confirmation, with a suggestion to decide.
#include <fmt/format.h>

#include "base/csv.h"
#include "cli/demo/programme.h"
#include "geo/geo.h"
#include "operations/imports.h"
#include "operations/service.h"

namespace kakehashi::cli::demo {
namespace {

struct Theme {
  const char* title;
  const char* category;  // ヒト / モノ / カネ
  const char* subtype;   // label of operations::subtypes()
  const char* company;   // without legal form
  bool latin;            // the company's name is in Latin letters (full-width variant)
  const char* school_kind;  // 小学校 / 中学校 / 高等学校 … ; "" for a municipality partner
  const char* school_suffix;
};

constexpr Theme kThemes[] = {
    {"英語の出前授業", "ヒト", "専門人材の派遣（英語）", "グローバル英語教育", false, "小学校", "小学校"},
    {"プログラミング教室", "ヒト", "専門人材の派遣（プログラミング）", "CodeBridge", true, "中学校", "中学校"},
    {"金融リテラシー講座", "ヒト", "専門人材の派遣（金融）", "みらい地域銀行", false, "高等学校", "高等学校"},
    {"データサイエンス特別授業", "ヒト", "専門人材の派遣（IT）", "DataWorks", true, "高等学校", "高等学校"},
    {"企業版ふるさと納税による探究学習", "カネ", "ふるさと納税（企業版）", "地域未来ホールディングス", false, "", ""},
    {"インターンシップ", "ヒト", "インターンシップ", "北斗精機", false, "高等学校", "工業高等学校"},
    {"空き教室の活用（企業サテライト）", "モノ", "物品・施設の共同利用（空き教室等）", "ワークスペース・ラボ", false, "", ""},
    {"地域課題解決型の授業づくり", "モノ", "授業・プログラムの共同開発", "まちづくり総研", false, "中学校", "中学校"},
    {"実務家教員による商品開発演習", "ヒト", "実務家教員・博士人材の採用", "フードテック", false, "高等学校", "商業高等学校"},
    {"GCFによる探究学習基金", "カネ", "ガバメントクラウドファンディング（GCF）", "クラウド共創", false, "", ""},
    {"ネーミングライツによる学習環境整備", "カネ", "ネーミングライツ", "スポーツプラス", false, "", ""},
    {"高専との共同ものづくり", "モノ", "授業・プログラムの共同開発", "精密テクノ", false, "高等専門学校", "工業高等専門学校"},
};

// Company spellings the counting rule makes equal.
std::string company_spelling(const Theme& t, int variant) {
  std::string name = t.company;
  if (t.latin && variant % 3 == 1) {
    std::string wide;  // full-width Latin letters, as some lists have them
    for (char c : name) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        char32_t w = char32_t(0xFF00 + (c - 0x20));
        wide += char(0xE0 | (w >> 12));
        wide += char(0x80 | ((w >> 6) & 0x3F));
        wide += char(0x80 | (w & 0x3F));
      } else {
        wide += c;
      }
    }
    name = wide;
  }
  switch (variant % 3) {
    case 0: return "株式会社" + name;
    case 1: return "(株)" + name;
    default: return "㈱" + name;
  }
}

constexpr const char* kCityNames[] = {"中央", "北", "南", "東", "西", "緑", "桜"};

// One operator's activity list as CSV: `projects` projects with 1–9 sessions each.
std::string activity_list(const operations::Operator& op, int seed, int projects, int extra_rows) {
  std::string out = csv::format_row({"実施日", "内容", "企業", "自治体・教育委員会", "学校", "学校種", "都道府県", "場所",
                                     "児童生徒数", "教職員数", "企業参加者数", "区分", "類型"});
  const geo::Block* block = geo::find_block(op.blocks.front().block_id);
  Date start = op.contract_from.plus_days(21);
  int row = 0;
  for (int p = 0; p < projects; ++p) {
    const Theme& t = kThemes[(p + seed) % std::size(kThemes)];
    const geo::Prefecture* pref = block->prefectures[std::size_t(p + seed) % block->prefectures.size()];
    std::string city = std::string(kCityNames[(p * 3 + seed) % std::size(kCityNames)]);
    std::string prefecture(pref->name);
    std::string municipality = fmt::format("{}市教育委員会", city);
    std::string school = *t.school_kind ? fmt::format("{}市立{}{}", city, kCityNames[(p + 1) % std::size(kCityNames)],
                                                      t.school_suffix)
                                        : "";
    // Each pair of projects of one theme differs by partner so they stay two projects.
    int sessions = 1 + (p * 7 + seed * 3) % 9;
    for (int s = 0; s < sessions + (p == 0 ? extra_rows : 0); ++s) {
      Date day = start.plus_days(p * 3 + s * 9);
      std::string title = s == 0 || s % 3 ? std::string(t.title) : fmt::format("{}（第{}回）", t.title, s + 1);
      out += csv::format_row({day.iso(), title, company_spelling(t, row + s), municipality, school, t.school_kind,
                              prefecture, school.empty() ? municipality : school, std::to_string(20 + (row * 7) % 25),
                              std::to_string(1 + row % 3), std::to_string(2 + row % 4), t.category, t.subtype});
      ++row;
    }
  }
  return out;
}

Result<void> import_list(db::Transaction& tx, const auth::Principal& who, const operations::Operator& op,
                         const std::string& name, const std::string& list, Instant now, bool confirm) {
  auto id = operations::stage_import(tx, who, op.id, name, list, now);
  if (!id) return fail(id.error());
  auto form = operations::mapping_form(tx, who, *id);
  if (!form) return fail(form.error());
  if (auto r = operations::save_mapping(tx, who, *id, form->mapping, now); !r) return r;
  if (!confirm) return {};
  auto summary = operations::confirm_import(tx, who, *id, false, now);
  if (!summary) return fail(summary.error());
  return {};
}

}  // namespace

Result<void> seed_projects(db::Transaction& tx, const DemoPeople& people,
                           const std::vector<operations::Operator>& operators, Instant now) {
  int seed = 0;
  for (const operations::Operator& op : operators) {
    bool own = people.operator_user.organisation_id && *people.operator_user.organisation_id == op.organisation_id;
    const auth::Principal& who = own ? people.operator_user : people.secretariat;
    std::string list = activity_list(op, seed, 20, 0);
    if (auto r = import_list(tx, who, op, "活動一覧_上期.csv", list, now, true); !r) return r;
    if (own) {
      // A grown list waiting for confirmation: the old rows are recognised, new ones proposed.
      std::string grown = activity_list(op, seed, 22, 2);
      if (auto r = import_list(tx, who, op, "活動一覧_10月末.csv", grown, now, false); !r) return r;
    }
    ++seed;
  }
  return {};
}

}  // namespace kakehashi::cli::demo

// The demo's events (issue 18): three interim report events — 北海道 (held three weeks ago, with
// its attendance), 近畿 (in three weeks, full, with a wait list and an open offer) and 九州
// (hybrid, co-hosted with the operator of 九州) — and the national final event in 東京 with
// matchmaking: registrations, directory entries, requests with answers, a grid, a run of the
// engine and the published schedule. Registrations go through the public rules (register_for)
// at plausible instants before `now`.
#include <fmt/format.h>

#include <array>

#include "cli/demo/programme.h"
#include "events/service.h"

namespace kakehashi::cli::demo {
namespace {

using namespace std::chrono;

constexpr std::array kFamily = {"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
                                "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水"};
constexpr std::array kGiven = {"陽菜", "蓮", "結衣", "湊", "美咲", "大翔", "葵", "悠真", "さくら", "健一",
                               "直子", "誠", "由美", "浩二", "真理", "拓也", "恵", "翔太", "智子", "聡"};

struct Org {
  const char* name;
  events::RegistrantKind kind;
  const char* school_type;
  const char* offers;
  const char* seeks;
};

constexpr std::array<Org, 16> kOrgs = {{
    {"株式会社ミライテック", events::RegistrantKind::kCompany, "", "プログラミング教材と出前授業", "実証に協力いただける中学校"},
    {"北洋エネルギー株式会社", events::RegistrantKind::kCompany, "", "再生可能エネルギーの探究学習プログラム", "高校との共同研究"},
    {"株式会社まなびデザイン", events::RegistrantKind::kCompany, "", "探究学習の評価ルーブリック", "自治体の教育委員会"},
    {"さくら食品工業株式会社", events::RegistrantKind::kCompany, "", "工場見学と食品ロスの教材", "小学校の総合的な学習"},
    {"株式会社クラウドブリッジ", events::RegistrantKind::kCompany, "", "学習データの可視化ツール", "データ活用に関心のある学校"},
    {"瀬戸内造船株式会社", events::RegistrantKind::kCompany, "", "ものづくり体験（溶接・設計）", "工業高校・高専"},
    {"札幌市立北辰中学校", events::RegistrantKind::kSchool, "中学校", "総合的な学習の時間（年 35 時間）", "地元企業の講師"},
    {"大阪府立天満高等学校", events::RegistrantKind::kSchool, "高等学校", "探究の授業での企業連携", "課題を出してくれる企業"},
    {"福岡市立博多小学校", events::RegistrantKind::kSchool, "小学校", "5 年生の総合学習", "食育・環境の教材"},
    {"宮城県立仙台工業高等学校", events::RegistrantKind::kSchool, "高等学校", "課題研究の発表の場", "ものづくり企業"},
    {"鹿児島工業高等専門学校", events::RegistrantKind::kSchool, "高等専門学校", "学生の共同研究", "エネルギー分野の企業"},
    {"横浜市教育委員会", events::RegistrantKind::kMunicipality, "", "市内 500 校への展開", "全校に広げられる教材"},
    {"富山県教育委員会", events::RegistrantKind::kMunicipality, "", "県立高校での実証の受け入れ", "STEAM 教育の連携先"},
    {"那覇市教育委員会", events::RegistrantKind::kMunicipality, "", "離島の学校との遠隔授業", "オンライン授業の実績のある企業"},
    {"一般社団法人みらい教育ネット", events::RegistrantKind::kOther, "", "学校と企業の調整", "連携事例"},
    {"北海道大学 教育学研究院", events::RegistrantKind::kOther, "", "効果検証の設計", "検証に参加する学校"},
}};

constexpr std::array kPrefectures = {"01", "04", "13", "14", "16", "23", "27", "28", "34", "40", "46", "47"};

struct Seeded {
  events::Event event;
  std::vector<events::Registration> people;
};

Result<events::Event> make(db::Transaction& tx, const DemoPeople& people, events::Event e, Instant now) {
  auto id = events::create_event(tx, people.secretariat, e, now);
  if (!id) return fail(id.error());
  auto found = events::find_event(tx, people.secretariat, *id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::internal("demo event missing"));
  return **found;
}

// `count` registrations spread over the days before `until`, with some online when offered.
Result<std::vector<events::Registration>> fill(db::Transaction& tx, const events::Event& e, int count, int seed,
                                               Instant from, Instant until, int online_every) {
  std::vector<events::Registration> out;
  auto span = duration_cast<seconds>(until - from).count();
  for (int i = 0; i < count; ++i) {
    const Org& org = kOrgs[std::size_t((i * 7 + seed) % kOrgs.size())];
    events::Registration r;
    r.name = fmt::format("{} {}", kFamily[std::size_t((i * 3 + seed) % kFamily.size())], kGiven[std::size_t((i * 11 + seed * 5) % kGiven.size())]);
    r.organisation = org.name;
    r.kind = org.kind;
    r.school_type = org.school_type;
    r.prefecture = kPrefectures[std::size_t((i + seed) % kPrefectures.size())];
    r.email = fmt::format("guest{}-{}@demo-events.example", e.id, i + 1);
    r.attendance = e.online && online_every > 0 && i % online_every == 0 ? events::Attendance::kOnline : events::Attendance::kInPerson;
    if (!e.in_person) r.attendance = events::Attendance::kOnline;
    Instant at = from + seconds{span * (i + 1) / (count + 1)};
    auto done = events::register_for(tx, e, r, fmt::format("198.51.100.{}", i % 200), 0, "https://kakehashi.example.jp", at);
    if (!done) return fail(done.error());
    out.push_back(done->registration);
  }
  return out;
}

events::Event base(const char* title, events::EventKind kind, Instant starts, int hours_long, const char* prefecture,
                   const char* venue, const char* address, int capacity) {
  events::Event e;
  e.kind = kind;
  e.title = title;
  e.starts_at = starts;
  e.ends_at = starts + hours{hours_long};
  e.in_person = true;
  e.prefecture = prefecture;
  e.venue = venue;
  e.address = address;
  e.capacity = capacity;
  e.registration_closes_at = starts - days{3};
  e.published = true;
  return e;
}

Result<void> programme(db::Transaction& tx, const DemoPeople& people, const events::Event& e, Instant now,
                       std::initializer_list<std::array<const char*, 3>> sessions) {
  for (const auto& [starts, title, speakers] : sessions) {
    events::ProgrammeSession s{0, e.id, starts, title, speakers, ""};
    if (auto id = events::add_session(tx, people.secretariat, e, s, now); !id) return fail(id.error());
  }
  return {};
}

Result<void> cost(db::Transaction& tx, const DemoPeople& people, const events::Event& e, const char* category,
                  const char* description, std::int64_t amount, Instant now) {
  events::Cost c;
  c.category = category;
  c.description = description;
  c.amount = amount;
  c.spent_on = tokyo_date(e.starts_at < now ? e.starts_at : now);
  auto id = events::add_cost(tx, people.secretariat, e, c, now);
  if (!id) return fail(id.error());
  return {};
}

}  // namespace

Result<void> seed_events(db::Transaction& tx, const DemoPeople& people, const std::vector<operations::Operator>& operators,
                         Instant now) {
  const std::string site = "https://kakehashi.example.jp";
  Instant today = sys_days{tokyo_date(now).sys_days()} - hours{9};  // Japan midnight

  // 北海道: held three weeks ago, attendance recorded.
  auto hokkaido = make(tx, people,
                       base("中間報告会（北海道・東北）", events::EventKind::kInterim, today - days{21} + hours{13}, 4, "01",
                            "札幌コンベンションセンター", "札幌市白石区東札幌6条1-1-1", 120),
                       now - days{60});
  if (!hokkaido) return fail(hokkaido.error());
  if (auto r = programme(tx, people, *hokkaido, now - days{60},
                         {{{"13:00", "開会・事業の概要", "経済産業省 産業技術環境局"}},
                          {{"13:20", "北海道ブロックの実証報告", "実証事業者"}},
                          {{"15:00", "パネル討論「地域の学校と企業をつなぐ」", "札幌市教育委員会・北洋エネルギー株式会社"}}});
      !r)
    return r;
  auto held = fill(tx, *hokkaido, 96, 1, now - days{55}, hokkaido->registration_closes_at - hours{1}, 0);
  if (!held) return fail(held.error());
  for (std::size_t i = 0; i < held->size(); ++i) {
    if (i % 7 == 3) continue;  // some did not come
    if (auto r = events::check_in(tx, people.secretariat, *hokkaido, (*held)[i].id, hokkaido->starts_at - minutes{20} + seconds{int(i) * 9});
        !r)
      return fail(r.error());
  }
  for (int i = 0; i < 4; ++i) {
    events::Registration walk;
    walk.name = fmt::format("{} {}", kFamily[std::size_t(i + 5)], kGiven[std::size_t(i + 2)]);
    walk.organisation = i % 2 ? "札幌市教育委員会" : "株式会社ほっかいどうラボ";
    walk.kind = i % 2 ? events::RegistrantKind::kMunicipality : events::RegistrantKind::kCompany;
    if (auto r = events::add_walk_in(tx, people.secretariat, *hokkaido, walk, hokkaido->starts_at + minutes{5 + i}); !r)
      return fail(r.error());
  }
  if (auto r = cost(tx, people, *hokkaido, "venue", "会場借料（中ホール・半日）", 286000, now - days{20}); !r) return r;
  if (auto r = cost(tx, people, *hokkaido, "speakers", "パネリスト旅費（2 名）", 64800, now - days{20}); !r) return r;

  // 近畿: in three weeks, full at 100 seats, 12 waiting, one offer open.
  auto kinki = make(tx, people,
                    base("中間報告会（近畿・中国・四国）", events::EventKind::kInterim, today + days{21} + hours{13}, 4, "27",
                         "大阪商工会議所 国際会議ホール", "大阪市中央区本町橋2-8", 100),
                    now - days{20});
  if (!kinki) return fail(kinki.error());
  if (auto r = programme(tx, people, *kinki, now - days{20},
                         {{{"13:00", "開会挨拶", "近畿経済産業局"}}, {{"13:15", "近畿・中国・四国ブロックの実証報告", "実証事業者 3 者"}},
                          {{"15:30", "学校と企業の対話セッション", "大阪府立天満高等学校・株式会社まなびデザイン"}}});
      !r)
    return r;
  auto kinki_people = fill(tx, *kinki, 112, 2, now - days{18}, now - hours{3}, 0);
  if (!kinki_people) return fail(kinki_people.error());
  if (auto r = events::cancel_registration(tx, *kinki, (*kinki_people)[10], site, now - hours{2}); !r) return r;
  if (auto r = cost(tx, people, *kinki, "publicity", "告知チラシ印刷（3,000 部）", 88000, now - days{15}); !r) return r;

  // 九州・沖縄: hybrid, co-hosted with the operator of 九州 and a local forum.
  events::Event kyushu_base = base("中間報告会（九州・沖縄）", events::EventKind::kInterim, today + days{35} + hours{13}, 3, "40",
                                   "福岡国際会議場", "福岡市博多区石城町2-1", 80);
  kyushu_base.online = true;
  kyushu_base.cohost_name = "九州教育イノベーションフォーラム2027";
  kyushu_base.cohost_counting = events::Counting::kBoth;
  for (const auto& op : operators) {
    for (const auto& b : op.blocks) {
      if (b.block_id == "kyushu") kyushu_base.cohost_operator_id = op.id;
    }
  }
  auto kyushu = make(tx, people, kyushu_base, now - days{10});
  if (!kyushu) return fail(kyushu.error());
  if (auto r = programme(tx, people, *kyushu, now - days{10},
                         {{{"13:00", "九州・沖縄ブロックの実証報告", "実証事業者"}}, {{"14:30", "離島と都市をつなぐ遠隔授業", "那覇市教育委員会"}}});
      !r)
    return r;
  if (auto r = fill(tx, *kyushu, 47, 3, now - days{9}, now - hours{5}, 4); !r) return fail(r.error());

  // The national final event in 東京 with matchmaking, requests open until a week before.
  events::Event final_base = base("全国成果報告会・マッチング商談会", events::EventKind::kFinal, today + days{50} + hours{10}, 8, "13",
                                  "東京国際フォーラム ホールB7", "千代田区丸の内3-5-1", 260);
  final_base.online = true;
  final_base.matchmaking = true;
  final_base.requests_open_at = now - days{7};
  final_base.requests_close_at = final_base.starts_at - days{7};
  final_base.summary = "全国 10 ブロックの実証の成果を報告し、企業と学校・自治体のマッチング商談会を行います。";
  auto finale = make(tx, people, final_base, now - days{30});
  if (!finale) return fail(finale.error());
  if (auto r = programme(tx, people, *finale, now - days{30},
                         {{{"10:00", "開会・全国の成果報告", "経済産業省"}}, {{"11:30", "優良事例の表彰", "審査委員長"}},
                          {{"13:00", "マッチング商談会（1 対 1 面談）", "参加企業・学校・自治体"}}, {{"17:00", "閉会", "事務局"}}});
      !r)
    return r;
  auto finalists = fill(tx, *finale, 164, 4, now - days{28}, now - hours{1}, 5);
  if (!finalists) return fail(finalists.error());
  if (auto r = cost(tx, people, *finale, "venue", "会場借料（ホールB7・1 日）", 1650000, now - days{25}); !r) return r;
  if (auto r = cost(tx, people, *finale, "speakers", "表彰式 登壇者の招へい旅費", 212000, now - days{25}); !r) return r;
  // 48 participants in the directory, one per organisation group, with requests.
  std::vector<events::Registration> matched;
  for (std::size_t i = 0; i < finalists->size() && matched.size() < 48; ++i) {
    const events::Registration& r = (*finalists)[i];
    if (r.status != events::Status::kConfirmed || i % 3 != 0) continue;
    const Org* org = nullptr;
    for (const auto& o : kOrgs) {
      if (r.organisation == o.name) org = &o;
    }
    if (!org) continue;
    if (auto done = events::update_match_profile(tx, *finale, r, true, org->offers, org->seeks, now - days{6}); !done) return done;
    events::Registration in = r;
    in.match_opt_in = true;
    matched.push_back(in);
  }
  for (std::size_t i = 0; i < matched.size(); ++i) {
    for (std::size_t step : {1u, 5u, 11u}) {
      const events::Registration& to = matched[(i + step) % matched.size()];
      if (to.kind == matched[i].kind) continue;
      if (auto r = events::send_request(tx, *finale, matched[i], to.id, int(1 + (i + step) % 3), now - days{5}); !r) return r;
    }
  }
  for (const events::Registration& r : matched) {
    auto mine = events::requests_of(tx, *finale, r.id);
    if (!mine) return fail(mine.error());
    int n = 0;
    for (const auto& q : *mine) {
      if (q.to_id != r.id) continue;
      if (++n % 4 == 0) continue;  // some still unanswered
      if (auto a = events::answer_request(tx, *finale, r, q.id, n % 5 != 0, now - days{3}); !a) return a;
    }
  }
  if (auto r = events::set_grid(tx, people.secretariat, *finale, finale->starts_at + hours{3}, 20, 5, 8, 12, now - days{1}); !r) return r;
  auto run = events::run_matching(tx, people.secretariat, *finale, now - days{1});
  if (!run) return fail(run.error());
  auto refreshed = events::find_event(tx, people.secretariat, finale->id);
  if (!refreshed || !*refreshed) return fail(refreshed ? Error::internal("final event missing") : refreshed.error());
  return events::publish_schedule(tx, people.secretariat, **refreshed, true, site, now - hours{12});
}

}  // namespace kakehashi::cli::demo

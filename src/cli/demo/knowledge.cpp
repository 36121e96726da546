// The demo's knowledge (issue 19): the case collection and the points collection as the
// secretariat would have them in December — about sixty published cases (twenty kinds of
// cooperation, each in three regions), thirty published lessons (successes and failures), and a
// few items still in draft or review, one of them with a telephone number the personal-
// information check reports. Everything goes through the services (curation audited).
#include <fmt/format.h>

#include "cli/demo/programme.h"
#include "geo/geo.h"
#include "knowledge/service.h"

namespace kakehashi::cli::demo {
namespace {

using namespace std::chrono;
using knowledge::Figure;

struct Place {
  const char* block;
  const char* prefecture;
  const char* town;
};

struct CaseTheme {
  const char* category;
  const char* subtype;
  const char* title;  // {0}: town
  const char* summary;
  const char* body;
  const char* effect_industry;
  const char* effect_education;
  std::vector<std::string> schools;
  std::vector<std::string> effects;
  std::vector<std::string> stakeholders;
  const char* figure_label;
  int figure_base;
  const char* figure_unit;
  Place places[3];
};

const std::vector<CaseTheme>& themes() {
  static const std::vector<CaseTheme> kThemes = {
      {"hito", "企業人材の派遣", "{0}の中学校で外資系メーカーの社員が英語の授業を担当",
       "海外営業を担う社員が月2回、英語の授業にゲスト講師として入り、商談の場面を教材にした会話練習を行った。",
       "## 進め方\n外資系部品メーカーの海外営業部の社員3名が交代で、2年生の英語の授業に入った。\n\n- 実際の商談メールを生徒向けに書き直した教材\n- 1回50分のうち20分をロールプレイに充てる\n- 教員と社員が事前に30分の打合せ\n\n## 工夫\n社員の業務時間として会社が認め、**年間計画に位置付けた**ことで単発で終わらなかった。",
       "社員が自社の仕事を説明し直すことで、若手の育成にもなった。地域での認知度が上がり、翌年の採用説明会の参加者が増えた。",
       "英語を使う大人を身近に見て、生徒の学習意欲が上がった。英語で話すことへの抵抗感が減ったと答えた生徒が多い。",
       {"junior_high"}, {"industry_talent", "industry_brand", "education_motivation", "education_skills"},
       {"company", "school_junior_high", "coordinator"}, "参加した生徒数", 120, "人",
       {{"tohoku", "宮城県", "仙台市"}, {"kanto", "群馬県", "太田市"}, {"kyushu", "福岡県", "北九州市"}}},
      {"hito", "出前授業", "{0}の小学校で地元信用金庫が金融教育の出前授業",
       "信用金庫の職員がお金の役割と家計の仕組みを、買い物ゲームを通して教える出前授業を5年生で実施した。",
       "## 進め方\n信用金庫の若手職員が、模擬通貨を使った買い物ゲームで「使う・貯める・増やす・寄付する」を体験させた。\n\n- 2コマ連続の授業\n- 保護者向けの短い資料を配布\n\n## 続けるために\n金庫の地域貢献の計画に組み込み、毎年同じ時期に実施することにした。",
       "職員が地域の子どもと話す機会になり、金庫への親しみが生まれた。地域貢献の実績として報告できた。",
       "お金の使い方を自分ごととして考える児童が増えた。算数の割合の学習とも結びついた。",
       {"elementary"}, {"industry_brand", "education_motivation", "education_skills"},
       {"financial_institution", "school_elementary", "coordinator"}, "授業を受けた児童数", 85, "人",
       {{"hokkaido", "北海道", "帯広市"}, {"chugoku", "岡山県", "倉敷市"}, {"shikoku", "愛媛県", "松山市"}}},
      {"hito", "実務家教員", "{0}の高校で IT 企業のエンジニアが情報Ⅰのプログラミングを指導",
       "地元の IT 企業のエンジニアが半年間、情報Ⅰのプログラミング単元にティーム・ティーチングで入った。",
       "## 進め方\nエンジニア2名が週1回、情報科の教員と組んで授業を行った。\n\n- Python で地域のバス時刻表を扱う課題\n- コードレビューの体験\n\n## 体制\n教育委員会が兼業の手続を整え、会社は社会貢献活動として勤務扱いにした。",
       "エンジニアが自社の技術を地域に示す機会となり、インターンシップの応募につながった。",
       "教員だけでは難しかった実践的な指導ができた。プログラミングに苦手意識のあった生徒も課題を完成させた。",
       {"high"}, {"industry_talent", "education_skills", "education_teachers"},
       {"company", "school_high", "board_of_education"}, "指導した授業時数", 24, "時間",
       {{"kanto", "茨城県", "日立市"}, {"tokai", "長野県", "塩尻市"}, {"okinawa", "沖縄県", "那覇市"}}},
      {"hito", "出向・研修", "{0}で教員が地元製造業に夏季研修で出向",
       "中学校と高校の教員が夏休みに1週間、地元の製造業で研修を受け、授業で使える題材を持ち帰った。",
       "## 進め方\n教員6名が製造現場・品質管理・営業の各部門を回った。\n\n## 持ち帰ったもの\n- 品質管理の統計を使った数学の題材\n- 海外取引の英文書類\n\n研修後、企業の担当者を授業に招く流れができた。",
       "社員が教員に自社の仕事を説明する中で、自社の強みを言葉にする機会になった。",
       "教員が産業の現場を知り、授業の題材が具体的になった。キャリア教育の話に説得力が増した。",
       {"junior_high", "high"}, {"industry_brand", "education_teachers", "education_career"},
       {"company", "board_of_education", "school_high"}, "研修に参加した教員数", 6, "人",
       {{"tokai", "愛知県", "豊田市"}, {"hokuriku", "富山県", "高岡市"}, {"kinki", "兵庫県", "姫路市"}}},
      {"hito", "博士人材の活用", "{0}の高校で大学院生が探究活動のメンターに",
       "大学院の博士課程の学生が探究の時間のメンターとなり、仮説の立て方とデータの扱い方を伴走した。",
       "## 進め方\n博士課程の学生4名が、1人あたり3班を担当し、月2回オンラインと対面で助言した。\n\n## 成果\n- 地域の課題を扱った研究発表が県の発表会で入賞\n- 学生側も教える経験を研究者としてのキャリアに生かした",
       "地元企業が発表会に参加し、生徒の研究テーマを自社の課題と結びつける議論が生まれた。",
       "生徒の探究の質が上がり、大学進学後の学びを具体的に想像できるようになった。",
       {"high"}, {"education_skills", "education_career"}, {"university", "school_high", "coordinator"},
       "メンターが伴走した班の数", 12, "班",
       {{"tohoku", "山形県", "鶴岡市"}, {"kinki", "京都府", "京都市"}, {"kyushu", "熊本県", "熊本市"}}},
      {"hito", "職場体験の高度化", "{0}の中学校で職場体験を課題解決型に作り替え",
       "3日間の職場体験を、受入れ企業が出した実課題に取り組む形に改め、最終日に提案を発表した。",
       "## 進め方\n受入れ企業12社がそれぞれ小さな課題を用意した。\n\n- 1日目: 見学と課題の説明\n- 2日目: 調査と試作\n- 3日目: 社員への提案\n\nコーディネーターが企業と学校の間で課題の難しさを調整した。",
       "生徒の提案から商品の陳列を変えた店舗があった。若い世代の視点を得る機会になった。",
       "働くことを具体的に考える生徒が増えた。事前・事後学習の質が上がった。",
       {"junior_high"}, {"industry_business", "education_career", "education_motivation"},
       {"company", "school_junior_high", "coordinator", "parents_community"}, "受入れ企業数", 12, "社",
       {{"hokkaido", "北海道", "釧路市"}, {"kanto", "埼玉県", "川越市"}, {"shikoku", "高知県", "高知市"}}},
      {"hito", "起業家教育", "{0}の高校で地元の起業家と生徒がビジネスプランを作成",
       "地元で起業した経営者5名が半年間、生徒のビジネスプラン作りに伴走し、地域のコンテストに出場した。",
       "## 進め方\n経営者がそれぞれ2班を担当し、顧客への聞き取りから収支計画までを指導した。\n\n## 特徴\n失敗談を含めて話してもらい、起業を身近に感じられるようにした。",
       "経営者同士のつながりが生まれ、地域の起業支援の輪が広がった。",
       "生徒が地域の課題を事業で解決する発想を持てるようになった。",
       {"high"}, {"industry_talent", "education_career", "education_motivation"},
       {"company", "school_high", "municipality"}, "作成されたビジネスプラン", 10, "件",
       {{"chugoku", "広島県", "尾道市"}, {"tokai", "静岡県", "浜松市"}, {"okinawa", "沖縄県", "名護市"}}},
      {"mono", "教材の提供", "{0}の小学校に地元企業がセンサー教材を提供",
       "電子部品メーカーが自社のセンサーを使った教材キットを開発し、理科とプログラミングの授業に提供した。",
       "## 進め方\n温度・明るさのセンサーと小型の基板を組み合わせたキットを40セット提供した。\n\n- 教員向けの手引き\n- 社員による初回授業の支援\n\n## その後\n学校の要望を受けて、キットを改良した。",
       "教育向け製品の試作と改良の場になり、新しい事業の検討が始まった。",
       "児童が身の回りの現象を測って確かめる学習ができた。",
       {"elementary"}, {"industry_business", "education_skills"}, {"company", "school_elementary"},
       "提供した教材キット", 40, "セット",
       {{"kanto", "神奈川県", "厚木市"}, {"kinki", "滋賀県", "草津市"}, {"tohoku", "岩手県", "北上市"}}},
      {"mono", "設備の開放", "{0}の工業高校で企業の研究設備を授業に開放",
       "地元企業が3Dプリンターや測定機器を備えた研究室を週1回開放し、工業高校の課題研究で使えるようにした。",
       "## 進め方\n放課後に生徒が企業の研究室で試作を行い、社員が安全指導と助言を担った。\n\n## 取決め\n事故時の保険と秘密保持の範囲を、コーディネーターが間に入って文書にした。",
       "生徒の試作が社内の若手の刺激になった。採用面接に来る生徒が出てきた。",
       "学校にない設備で本格的なものづくりを経験できた。",
       {"high"}, {"industry_talent", "education_skills"}, {"company", "school_high", "coordinator"},
       "設備を使った生徒数", 32, "人",
       {{"tokai", "岐阜県", "各務原市"}, {"hokuriku", "石川県", "小松市"}, {"kyushu", "大分県", "大分市"}}},
      {"mono", "デジタル教材", "{0}で農業法人のデータを使った探究教材",
       "農業法人が持つ気温・収量のデータを匿名化して提供し、中学校と高校の探究でデータ分析の教材にした。",
       "## 進め方\n5年分のハウス栽培のデータを、表計算で扱える形に整えて提供した。\n\n- 生育とのかかわりを生徒が分析\n- 分析結果を法人に報告\n\n## 注意したこと\n取引先など第三者の情報を含まないよう、提供前に確認した。",
       "生徒の分析から、潅水の時間帯を見直すきっかけが生まれた。",
       "本物のデータを扱うことで統計の学習が身近になった。",
       {"junior_high", "high"}, {"industry_business", "education_skills"}, {"company", "school_high", "coordinator"},
       "提供したデータの件数", 1800, "行",
       {{"hokkaido", "北海道", "北見市"}, {"kyushu", "宮崎県", "都城市"}, {"chugoku", "鳥取県", "鳥取市"}}},
      {"mono", "施設見学のオンライン化", "{0}の離島の学校と工場をオンラインで結ぶ見学会",
       "離島の小中学校と本土の工場をつなぎ、製造ラインを中継するオンライン見学会を行った。",
       "## 進め方\nタブレットを持った社員が工場内を案内し、児童生徒の質問にその場で答えた。\n\n## 工夫\n通信が途切れたときのために、事前に録画した映像も用意した。",
       "遠方の子どもにも自社を知ってもらえた。社員が自社の仕事の意味を再確認した。",
       "移動が難しい地域でも、ものづくりの現場に触れられた。",
       {"elementary", "junior_high"}, {"industry_brand", "education_career"}, {"company", "school_elementary", "municipality"},
       "参加した学校数", 4, "校",
       {{"kyushu", "長崎県", "五島市"}, {"okinawa", "沖縄県", "宮古島市"}, {"chugoku", "島根県", "隠岐の島町"}}},
      {"mono", "教室の改修", "{0}の高校に企業の協力で探究ラボを整備",
       "地元企業の寄贈した家具と機材で、空き教室を探究活動用のラボに改修した。",
       "## 進め方\n可動式の机、大型モニター、ホワイトボード壁面を整備し、企業の担当者との打合せにも使えるようにした。\n\n## 運用\n放課後は地域の人も使える日を設けた。",
       "企業が学校と打ち合わせる場所ができ、連携の回数が増えた。",
       "グループでの探究や発表の練習がしやすくなった。",
       {"high"}, {"industry_brand", "education_motivation"}, {"company", "school_high", "parents_community"},
       "整備した面積", 90, "平方メートル",
       {{"kanto", "千葉県", "柏市"}, {"tohoku", "福島県", "郡山市"}, {"hokuriku", "福井県", "鯖江市"}}},
      {"mono", "教材の共同開発", "{0}で観光事業者と教員が英語の観光ガイド教材を共同開発",
       "観光事業者と中学校・高校の英語の教員が、地域の観光地を英語で案内する教材を共同で作った。",
       "## 進め方\n観光事業者が外国人客のよくある質問を集め、教員が授業で使える形に整えた。\n\n## 活用\n完成した教材で、生徒が実際に観光客を案内する日を設けた。",
       "観光案内の担い手となる若者が育つ期待が高まった。",
       "英語を使う目的がはっきりし、話す活動に積極的になった。",
       {"junior_high", "high"}, {"industry_talent", "education_motivation", "education_skills"},
       {"company", "school_high", "municipality"}, "開発した教材の単元数", 8, "単元",
       {{"kinki", "奈良県", "奈良市"}, {"hokuriku", "石川県", "金沢市"}, {"okinawa", "沖縄県", "石垣市"}}},
      {"kane", "企業版ふるさと納税", "{0}が企業版ふるさと納税で連携事業の財源を確保",
       "市が企業版ふるさと納税を活用し、学校と企業の連携事業を3年間続けるための財源を確保した。",
       "## 進め方\n市の地域再生計画に学校と企業の連携を位置付け、寄附を募った。\n\n- 寄附企業は8社\n- コーディネーターの人件費と教材費に充当\n\n## ポイント\n寄附企業に、事業の成果を毎年報告する場を設けた。",
       "寄附企業が地域の人材育成に関わる実感を得られた。",
       "単年度で終わらず、複数年の計画で授業を組めるようになった。",
       {"elementary", "junior_high", "high"}, {"industry_brand", "education_teachers"},
       {"municipality", "company", "coordinator"}, "寄附額", 12000000, "円",
       {{"tohoku", "秋田県", "由利本荘市"}, {"tokai", "三重県", "四日市市"}, {"shikoku", "徳島県", "徳島市"}}},
      {"kane", "ふるさと納税（個人）", "{0}がふるさと納税の使い道に「未来の人材育成」を新設",
       "町がふるさと納税の使い道に人材育成の項目を設け、寄附を中学校のキャリア教育に充てた。",
       "## 進め方\n寄附の使い道として「地域の子どもと企業をつなぐ学び」を選べるようにした。\n\n## 使い道\n- 企業見学のバス代\n- 外部講師の謝金\n\n寄附者には活動の報告書を送った。",
       "町外の出身者が地元の企業と子どもを応援する仕組みになった。",
       "移動の費用を気にせず、町外の企業の見学も行えた。",
       {"junior_high"}, {"education_career"}, {"municipality", "school_junior_high", "parents_community"},
       "寄附件数", 340, "件",
       {{"hokkaido", "北海道", "東川町"}, {"kyushu", "鹿児島県", "大崎町"}, {"chugoku", "山口県", "萩市"}}},
      {"kane", "地域金融機関の基金", "{0}で地方銀行が教育連携の基金を設立",
       "地方銀行が創立記念事業として基金を設け、学校と地元企業の連携プロジェクトに助成した。",
       "## 進め方\n年2回の公募で、1件あたり上限50万円を助成した。\n\n- 審査に学校関係者と企業の双方が参加\n- 成果発表会を銀行の本店で開催\n\n## 続けるために\n取引先企業からの寄附も受け付ける形にした。",
       "銀行が取引先企業と地域の教育を結ぶ役割を担い、関係が深まった。",
       "学校が小さな予算で試せる取組が増えた。",
       {"elementary", "junior_high", "high"}, {"industry_brand", "education_teachers"},
       {"financial_institution", "company", "school_high"}, "助成した件数", 15, "件",
       {{"kinki", "和歌山県", "和歌山市"}, {"kanto", "栃木県", "宇都宮市"}, {"shikoku", "香川県", "高松市"}}},
      {"kane", "共同出資", "{0}で複数の企業が共同出資してコーディネーターを雇用",
       "地域の企業6社が共同で費用を負担し、学校との連携を担う専任のコーディネーターを1名雇用した。",
       "## 進め方\n商工会議所が事務局となり、各社が規模に応じて負担した。\n\n## 役割\n- 学校の要望を聞き、企業に橋渡し\n- 年間計画と振り返りの記録\n\n## 効果\n個々の企業では難しかった継続的な調整ができた。",
       "企業が単独で担うより少ない負担で、学校との関係を保てた。",
       "学校が連絡先を一本化でき、教員の調整の負担が減った。",
       {"junior_high", "high"}, {"industry_talent", "education_teachers"}, {"company", "coordinator", "school_high"},
       "参加企業数", 6, "社",
       {{"tokai", "愛知県", "岡崎市"}, {"tohoku", "青森県", "八戸市"}, {"kyushu", "佐賀県", "佐賀市"}}},
      {"kane", "クラウドファンディング", "{0}の高校生がクラウドファンディングで地域商品を開発",
       "高校生が地元の食品メーカーと商品を企画し、クラウドファンディングで製造費を集めた。",
       "## 進め方\n企画、試作、原価計算、支援者への返礼までを生徒が担い、メーカーが製造を担当した。\n\n## 学び\n目標額に届くまでの広報を、生徒が自分たちで工夫した。",
       "新しい客層に自社を知ってもらえた。生徒の企画が定番商品になった。",
       "お金の流れと商品づくりを一体で学べた。",
       {"high"}, {"industry_business", "education_skills", "education_motivation"},
       {"company", "school_high", "financial_institution"}, "集まった支援額", 1450000, "円",
       {{"hokuriku", "新潟県", "燕市"}, {"chugoku", "広島県", "呉市"}, {"shikoku", "愛媛県", "今治市"}}},
      {"kane", "奨学金と採用の連携", "{0}で企業が地元高校生向けの給付型奨学金を創設",
       "地元企業の協議会が、地元の高校から進学する生徒向けに給付型の奨学金を設け、在学中のインターンシップと組み合わせた。",
       "## 進め方\n返済不要の奨学金を年10名に給付し、夏休みに協議会の企業でインターンシップの機会を用意した。\n\n## ねらい\n進学で地元を離れても、地域の企業とのつながりを保てるようにした。",
       "地域の企業を知った学生が、卒業後の就職先として検討するようになった。",
       "経済的な理由で進学をためらっていた生徒の選択肢が広がった。",
       {"high"}, {"industry_talent", "education_career"}, {"company", "school_high", "municipality"},
       "給付した人数", 10, "人",
       {{"tohoku", "岩手県", "盛岡市"}, {"kinki", "大阪府", "東大阪市"}, {"hokkaido", "北海道", "函館市"}}},
      {"hito", "特別支援学校と企業", "{0}の特別支援学校で企業と作業学習を共同設計",
       "物流企業と特別支援学校が、作業学習の内容を実際の業務に合わせて共同で設計した。",
       "## 進め方\n企業の担当者が作業工程を分解して示し、教員が生徒一人ひとりに合わせた手順書を作った。\n\n## その後\n現場実習の受入れと、卒業生の雇用につながった。",
       "障害のある人が活躍できる業務の切り出し方が、社内に蓄積された。",
       "生徒が働く場面を具体的に想像し、自信を持って実習に臨めた。",
       {"special"}, {"industry_talent", "education_career", "education_skills"},
       {"company", "coordinator", "board_of_education"}, "現場実習を受けた生徒数", 9, "人",
       {{"kanto", "東京都", "八王子市"}, {"tokai", "静岡県", "静岡市"}, {"kyushu", "福岡県", "久留米市"}}},
  };
  return kThemes;
}

struct LessonSeed {
  const char* outcome;
  const char* title;
  const char* context;
  const char* happened;
  const char* advice;
  const char* block;
  std::vector<std::string> stakeholders;
};

const std::vector<LessonSeed>& lesson_seeds() {
  static const std::vector<LessonSeed> kLessons = {
      {"success", "学校側の窓口を一本化すると調整が速くなる", "複数の教員がそれぞれ企業と連絡を取っていた。",
       "教頭を窓口に決めてから、日程調整の往復が半分ほどに減り、企業からの問い合わせにもすぐ答えられるようになった。",
       "連携の初期に、学校と企業の双方で窓口を1人ずつ決め、連絡先を共有する。", "tohoku", {"school_high", "coordinator"}},
      {"success", "年間計画に位置付けた授業は翌年も続く", "単発の出前授業が多く、翌年に続かなかった。",
       "教育課程の年間計画に企業との授業を書き込んだ学校では、担当の教員が替わっても翌年も実施された。",
       "初年度のうちに、どの学年のどの単元で行うかを年間計画に書き込む。", "kanto", {"school_junior_high", "board_of_education"}},
      {"success", "企業の業務として認められると社員が参加しやすい", "社員がボランティアとして参加していた。",
       "会社が授業への参加を勤務として扱うと決めてから、参加する社員が増え、準備の時間も確保された。",
       "企業の経営層に、社会貢献や人材育成の計画の中に位置付けてもらう。", "tokai", {"company"}},
      {"success", "実課題の大きさを学校と企業で事前にすり合わせる", "企業が出した課題が生徒には難しすぎた。",
       "コーディネーターが間に入り、課題を小さく区切り直したところ、生徒が最後まで取り組めた。",
       "課題を出す前に、授業時間で到達できる範囲を教員と企業が一緒に確かめる。", "kinki", {"company", "coordinator", "school_high"}},
      {"success", "成果発表会に企業の経営者を招く", "授業の成果が企業の社内に伝わっていなかった。",
       "発表会に経営者が参加したことで、翌年の予算と人員が確保された。",
       "成果を見せる場に、決裁権のある人を招く。", "hokuriku", {"company", "school_high"}},
      {"success", "教育委員会が兼業手続の手引きを作った", "外部人材の任用の手続が学校ごとに違っていた。",
       "教育委員会が手引きと書式をまとめたことで、学校が迷わずに外部人材を迎えられるようになった。",
       "最初の事例の手続を記録し、教育委員会の手引きにしてもらう。", "chugoku", {"board_of_education", "municipality"}},
      {"success", "保護者に事前に説明すると協力が得られる", "企業訪問の日程に保護者から問い合わせが相次いだ。",
       "ねらいと安全対策を学年便りで事前に説明したところ、送迎の協力を申し出る保護者もいた。",
       "校外での活動は、ねらいと安全対策を保護者に早めに伝える。", "shikoku", {"parents_community", "school_elementary"}},
      {"success", "金融機関が企業の紹介役になる", "学校が企業とのつながりを持っていなかった。",
       "地元の信用金庫が取引先を紹介し、短期間で協力企業が見つかった。",
       "企業のネットワークを持つ金融機関や商工会議所に、早い段階で相談する。", "kyushu", {"financial_institution", "company"}},
      {"success", "振り返りを記録して次の担当者に引き継ぐ", "担当者の異動で連携が途切れそうになった。",
       "毎回の振り返りを共有の記録に残していたため、新しい担当者がすぐに引き継げた。",
       "連携の経緯と連絡先、振り返りを、個人ではなく組織の記録として残す。", "okinawa", {"coordinator", "school_high"}},
      {"success", "小さく始めて成功例を見せる", "全校での実施を目指したが、教員の賛同が得られなかった。",
       "1学年・1単元で試して成果を共有したところ、翌年は他の学年からも手が挙がった。",
       "最初は意欲のある教員と小さく始め、成果を校内で共有する。", "hokkaido", {"school_junior_high", "coordinator"}},
      {"success", "大学の学生メンターで伴走の人手を補う", "探究の班が多く、教員だけでは助言が行き届かなかった。",
       "大学の学生がメンターとして加わり、班ごとに定期的な助言ができるようになった。",
       "近隣の大学に、学生の教育実践の場として協力を呼びかける。", "tohoku", {"university", "school_high"}},
      {"success", "自治体の産業部局と教育委員会が同じ会議に出る", "産業振興と教育の担当がばらばらに動いていた。",
       "月1回の合同会議を設けたことで、企業への呼びかけと学校の受入れが一体で進んだ。",
       "首長部局と教育委員会が同じ場で計画を話し合う仕組みを作る。", "tokai", {"municipality", "board_of_education"}},
      {"success", "授業で使えるよう企業の資料を教員が作り直す", "企業の説明資料が専門的すぎた。",
       "教員が生徒向けの言葉に直し、企業が内容を確認する分担にしたところ、理解が深まった。",
       "教材化は教員が、内容の正確さの確認は企業が担う。", "kinki", {"company", "school_junior_high"}},
      {"success", "謝金と保険を最初に決めておく", "謝金の有無で企業ごとに対応が違い、不公平感が出た。",
       "コーディネーターが謝金・交通費・保険の扱いを一覧にして示したところ、調整がすんなり進んだ。",
       "お金と保険の取決めを、連携の最初に文書で共有する。", "kanto", {"coordinator", "company"}},
      {"success", "生徒の提案に企業が回答する場を設ける", "生徒の提案が聞きっぱなしになっていた。",
       "企業が後日、提案のどこを採用したかを生徒に伝えたところ、生徒の意欲が大きく上がった。",
       "提案を受けた企業は、採否と理由を生徒に返す。", "kyushu", {"company", "school_high"}},
      {"failure", "企業の担当者の異動で連携が途切れた", "1人の社員の熱意で連携が続いていた。",
       "担当の社員が異動した後、引継ぎがなく、翌年の授業が実施されなかった。",
       "企業側でも複数の担当者を置き、部署の業務として引き継ぐ。", "tohoku", {"company", "coordinator"}},
      {"failure", "準備の打合せが足りず授業が講演になった", "企業の講師と教員の打合せが当日の朝だけだった。",
       "授業が講師の一方的な話になり、生徒の活動の時間がほとんど取れなかった。",
       "授業のねらいと生徒の活動を、少なくとも1週間前に打ち合わせる。", "kanto", {"company", "school_junior_high"}},
      {"failure", "個人情報の扱いを決めずに写真を公開しかけた", "活動の写真を企業のウェブサイトに載せる予定だった。",
       "生徒の顔が写った写真を、保護者の同意を確認しないまま公開しそうになった。",
       "写真の撮影と公開の範囲を事前に決め、同意を文書で得る。", "tokai", {"company", "school_elementary", "parents_community"}},
      {"failure", "単年度の予算で終わってしまった", "国の事業の予算で1年間だけ実施した。",
       "翌年度の財源を考えていなかったため、事業終了とともに活動が止まった。",
       "初年度から、ふるさと納税や企業の負担など次年度以降の財源を検討する。", "shikoku", {"municipality", "coordinator"}},
      {"failure", "課題が企業の宣伝に寄りすぎた", "企業が出した課題が自社製品の宣伝を考える内容だった。",
       "保護者から特定企業の宣伝ではないかという声があり、内容を見直すことになった。",
       "課題は地域や社会の問題を扱い、特定の商品の販売促進にしない。", "kinki", {"company", "school_high", "parents_community"}},
      {"failure", "教員の負担が増えて続かなかった", "連携の調整をすべて担任が担っていた。",
       "学期末の業務と重なり、担任の負担が大きくなって、後半の活動を取りやめた。",
       "調整はコーディネーターが担い、教員は授業の設計に専念できるようにする。", "hokkaido", {"coordinator", "school_junior_high"}},
      {"failure", "オンライン見学が通信の不具合で中断した", "工場と学校を結ぶ見学会を計画した。",
       "工場内の電波が弱く、映像が何度も途切れて見学会が中断した。",
       "事前に同じ場所で通信を試し、録画の映像を予備として用意する。", "kyushu", {"company", "school_elementary"}},
      {"failure", "評価の方法を決めずに始めた", "取組の効果を報告するよう求められた。",
       "始める前の状態を記録していなかったため、効果を示すことができなかった。",
       "開始前に、生徒のアンケートなど比べられる記録を取っておく。", "chugoku", {"coordinator", "school_high"}},
      {"failure", "企業の安全基準を学校が知らなかった", "工場での実習を計画した。",
       "当日になって保護具の数が足りないことが分かり、一部の生徒が見学だけになった。",
       "企業の安全基準と必要な装備を事前に確認し、人数分を用意する。", "hokuriku", {"company", "school_high"}},
      {"failure", "学校の年間行事と企業の繁忙期が重なった", "秋に企業との授業を予定した。",
       "企業の繁忙期と重なり、講師を確保できずに延期が続いた。",
       "企業の繁忙期を先に聞き、学校の年間行事と重ならない時期を選ぶ。", "okinawa", {"company", "school_junior_high"}},
      {"failure", "生徒の作品の権利を決めていなかった", "生徒が企業と商品のデザインを考えた。",
       "商品化の段階で、デザインの権利を誰が持つかで話し合いが長引いた。",
       "生徒の作品を企業が使う場合の扱いを、始める前に取り決める。", "kanto", {"company", "school_high", "parents_community"}},
      {"failure", "自治体の担当者だけで計画を決めた", "自治体が企業を集めて事業を始めた。",
       "学校の意見を聞かずに日程を決めたため、授業時数が確保できず、参加校が少なかった。",
       "計画の段階から学校と教育委員会に加わってもらう。", "tohoku", {"municipality", "board_of_education"}},
      {"failure", "金融教育の内容が児童には難しすぎた", "金融機関の職員が大人向けの資料で授業をした。",
       "専門用語が多く、児童が内容についていけなかった。",
       "対象の学年の教科書を事前に見てもらい、言葉と例を合わせる。", "kinki", {"financial_institution", "school_elementary"}},
      {"failure", "連携の成果が地域に知られなかった", "1年間の連携で多くの成果が出た。",
       "成果を発信しなかったため、他の学校や企業に広がらなかった。",
       "成果発表会や事例集への掲載など、成果を地域に伝える機会を計画に入れる。", "tokai", {"coordinator", "municipality"}},
      {"failure", "大学との連携が学生の試験期間で止まった", "大学生がメンターとして探究に関わった。",
       "大学の試験期間と重なり、1か月ほど伴走が止まってしまった。",
       "大学の学事暦を確認し、学生が関われない時期の代わりを決めておく。", "kyushu", {"university", "school_high"}},
  };
  return kLessons;
}

}  // namespace

Result<void> seed_knowledge(db::Transaction& tx, const DemoPeople& people,
                            const std::vector<operations::Operator>& operators, Instant now) {
  const auth::Principal& sec = people.secretariat;
  auto operator_of = [&](const std::string& block) -> std::optional<std::int64_t> {
    for (const auto& op : operators)
      for (const auto& b : op.blocks)
        if (b.block_id == block) return op.id;
    return std::nullopt;
  };
  int n = 0;
  // Published cases: each theme in its three regions, published over the autumn.
  for (const CaseTheme& t : themes()) {
    for (int k = 0; k < 3; ++k) {
      const Place& p = t.places[k];
      knowledge::Draft d;
      d.kind = knowledge::Kind::kCase;
      d.title = fmt::format(fmt::runtime(t.title), p.town);
      d.summary = t.summary;
      d.body = t.body;
      d.category = t.category;
      d.subtype = t.subtype;
      // The block follows the prefecture (静岡・長野・新潟 are in 関東, 岐阜・愛知・三重 in 東海).
      const geo::Prefecture* pref = geo::find_prefecture_by_name(p.prefecture);
      d.block_id = pref ? std::string(pref->block_id) : std::string(p.block);
      d.prefecture = p.prefecture;
      d.school_types = t.schools;
      d.effects = t.effects;
      d.effect_industry = t.effect_industry;
      d.effect_education = t.effect_education;
      d.stakeholders = t.stakeholders;
      d.figures = {Figure{t.figure_label, std::to_string(t.figure_base + (t.figure_base >= 100 ? k * 7 : k)), t.figure_unit}};
      d.operator_id = operator_of(d.block_id);
      d.consent = true;
      d.consent_note = "学校長・企業の広報担当から書面で同意";
      // A third of the cases come from last year's collection.
      d.year = k == 2 ? 2025 : 2026;
      d.source = k == 2 ? "2025年度事例集" : "";
      Instant at = now - days{90} + hours{24 * (n % 85)} + minutes{n};
      ++n;
      auto id = knowledge::create_item(tx, sec, d, at);
      if (!id) return fail(id.error());
      if (auto r = knowledge::submit(tx, sec, *id, at); !r) return r;
      if (auto r = knowledge::approve(tx, sec, *id, at); !r) return fail(Error::internal(fmt::format("demo case {}: {}", d.title, r.error().message)));
      if (auto r = knowledge::publish(tx, sec, *id, at); !r) return r;
    }
  }
  // Published lessons.
  for (const LessonSeed& l : lesson_seeds()) {
    knowledge::Draft d;
    d.kind = knowledge::Kind::kLesson;
    d.title = l.title;
    d.summary = l.context;
    d.body = l.happened;
    d.advice = l.advice;
    d.outcome = l.outcome;
    d.block_id = l.block;
    d.stakeholders = l.stakeholders;
    d.operator_id = operator_of(l.block);
    d.year = 2026;
    Instant at = now - days{60} + hours{24 * (n % 55)} + minutes{n};
    ++n;
    auto id = knowledge::create_item(tx, sec, d, at);
    if (!id) return fail(id.error());
    if (auto r = knowledge::submit(tx, sec, *id, at); !r) return r;
    if (auto r = knowledge::approve(tx, sec, *id, at); !r) return fail(Error::internal(fmt::format("demo lesson {}: {}", d.title, r.error().message)));
    if (auto r = knowledge::publish(tx, sec, *id, at); !r) return r;
  }
  // Work in progress: the demo operator's draft, a case in review whose text still carries a
  // telephone number (the check reports it), and a draft lesson.
  {
    knowledge::Draft d;
    d.kind = knowledge::Kind::kCase;
    d.title = "地元の建設会社と中学校で進める防災まちづくり学習（作成中）";
    d.summary = "建設会社の技術者が、地域の防災マップづくりを中学生と進めている。";
    d.body = "## 途中経過\n- 第1回: 地域のハザードマップの読み方\n- 第2回: まち歩き（予定）";
    d.category = "hito";
    d.subtype = "出前授業";
    d.block_id = operators.empty() ? "hokkaido" : operators.front().blocks.front().block_id;
    d.school_types = {"junior_high"};
    d.year = 2026;
    auto id = knowledge::create_item(tx, people.operator_user, d, now - days{2});
    if (!id) return fail(id.error());
  }
  {
    knowledge::Draft d;
    d.kind = knowledge::Kind::kCase;
    d.title = "商店街と小学校の「まちの仕事」探検";
    d.summary = "商店街の店主が、店の仕事を小学3年生に紹介する探検学習を行った。";
    d.body = "店主が仕入れと接客の工夫を紹介した。問い合わせは商店街事務局（電話 090-1234-5678）まで。";
    d.category = "hito";
    d.subtype = "職場見学";
    d.block_id = "kinki";
    d.prefecture = "大阪府";
    d.school_types = {"elementary"};
    d.effects = {"education_career"};
    d.consent = true;
    d.consent_note = "商店街振興組合から口頭で同意（書面は依頼中）";
    d.year = 2026;
    auto id = knowledge::create_item(tx, sec, d, now - days{1});
    if (!id) return fail(id.error());
    if (auto r = knowledge::submit(tx, sec, *id, now - days{1}); !r) return r;
    auto findings = knowledge::check_personal_information(tx, sec, *id, now - days{1});
    if (!findings) return fail(findings.error());
  }
  {
    knowledge::Draft d;
    d.kind = knowledge::Kind::kLesson;
    d.title = "企業と学校の連絡手段を決めていなかった";
    d.summary = "企業はメール、学校は電話での連絡を前提にしていた。";
    d.body = "連絡が行き違い、授業の前日まで持ち物が伝わらなかった。";
    d.advice = "最初の打合せで連絡手段と返信の目安を決める。";
    d.outcome = "failure";
    d.block_id = "kanto";
    d.year = 2026;
    auto id = knowledge::create_item(tx, sec, d, now - days{3});
    if (!id) return fail(id.error());
    if (auto r = knowledge::submit(tx, sec, *id, now - days{3}); !r) return r;
  }
  return {};
}

}  // namespace kakehashi::cli::demo

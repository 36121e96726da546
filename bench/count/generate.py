#!/usr/bin/env python3
"""Generates a spreadsheet of activity records with known projects for bench/count.sh.

usage: generate.py ROWS OUT.csv TRUTH.csv [SEED]

Each project is a (company, partner, content) triple; its sessions are written with the
spelling variants operators use (legal forms in every spelling and position, half-width kana,
spaces and middle dots, boards of education and town halls for their municipality, prefecture
in front, 設置者 prefixes, 高校/高等学校, 第一/第1, session markers of every kind). Hard
negatives are built in as separate projects: the same school name in two prefectures, 第一 and
第二中学校, 中等教育学校 beside 中学校, a company and its subsidiary, kana and kanji names,
(基礎編)/(応用編) and titles one character apart. A small share of sessions carries a typo the
rule must not repair (they cost recall and are suggested for review).

Operators drop a location only when the rest is still unambiguous: a variant without the
prefecture or municipality is written only when no other partner of the same company and
content shares the remaining name. TRUTH.csv maps every good id to its project; bad rows
(about 0.3%: missing company or partner, impossible date) are listed with their lines in
TRUTH.csv as id,"bad",line.
"""
import csv
import random
import sys
import unicodedata

ROWS = int(sys.argv[1])
OUT = sys.argv[2]
TRUTH = sys.argv[3]
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 20261125
rng = random.Random(SEED)

PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"]


def short(prefecture):
    return prefecture if prefecture == "北海道" else prefecture[:-1]


def setter_of(prefecture):  # 県立, 都立, 道立, 府立
    return prefecture[-1] + "立"


# --- half-width katakana, full-width Latin --------------------------------------------------
HALF = {}
for code in range(0xFF61, 0xFFA0):
    full = unicodedata.normalize("NFKC", chr(code))
    if len(full) == 1:
        HALF[full] = chr(code)
HALF["\u3099"] = "\uFF9E"
HALF["\u309A"] = "\uFF9F"


def half_width(text):
    out = []
    for ch in text:
        for part in unicodedata.normalize("NFD", ch):
            out.append(HALF.get(part, part))
    return unicodedata.normalize("NFC", "".join(out)) if False else "".join(out)


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


# --- companies ------------------------------------------------------------------------------
KATA = ["サクラ", "アオバ", "ミライ", "ヒカリ", "ソラ", "ツバサ", "アサヒ", "ミドリ", "ホクト", "カナデ",
        "ハヤテ", "イロハ", "ミナト", "コスモ", "ノゾミ", "ユウキ", "アカリ", "シズク", "トワ", "リンク",
        "ネクスト", "フロンティア", "エール", "ブリッジ", "ハーモニー", "クレスト", "ポラリス", "ルミナ"]
KANJI = ["北星", "東和", "青葉", "大和", "光陽", "瑞穂", "新栄", "丸善", "共栄", "昭和", "日進", "三光",
         "富士", "中央", "協和", "相互", "白鳥", "若竹", "明星", "旭日"]
TAIL = ["テック", "システムズ", "電機", "工業", "教育", "ラボ", "ソリューションズ", "総研", "製作所",
        "商事", "ネットワークス", "デザイン", "エンジニアリング", "データ", "フーズ", "建設", "メディア"]
LATIN = ["Sakura", "Blue Ocean", "Next Step", "Bright Path", "Open Field", "Kizuna", "Tsubasa", "Aurora"]
FORMS = ["株式会社"] * 7 + ["合同会社", "有限会社", "一般社団法人", "NPO法人", "公益財団法人"]
ABBREVIATED = {"株式会社": ["(株)", "㈱", "（株）"], "有限会社": ["(有)", "㈲"], "合同会社": ["(同)"],
               "一般社団法人": ["(一社)"], "公益財団法人": ["(公財)"], "NPO法人": ["特定非営利活動法人"]}


def make_companies(count):
    names = set()
    companies = []
    while len(companies) < count:
        roll = rng.random()
        if roll < 0.3:
            base = rng.choice(KATA) + rng.choice(TAIL)
        elif roll < 0.55:
            base = rng.choice(KANJI + PLACE) + rng.choice(TAIL)
        elif roll < 0.85:
            base = rng.choice(KATA) + rng.choice(KATA) + rng.choice(TAIL)
        elif roll < 0.93:
            base = rng.choice(KATA) + rng.choice(["", rng.choice(KATA)])
        else:
            base = rng.choice(LATIN) + rng.choice([" Japan", " Lab", " Works", ""])
        if base in names:
            continue
        names.add(base)
        latin = base[0].isascii()
        form = "株式会社" if not latin else rng.choice(["Inc.", "Co., Ltd."])
        if not latin:
            form = rng.choice(FORMS)
        companies.append({"base": base, "form": form, "front": rng.random() < 0.6, "latin": latin})
    # Hard negatives: subsidiaries and kana/kanji namesakes are companies of their own.
    extra = []
    for company in rng.sample(companies, max(1, count // 20)):
        if company["latin"]:
            continue
        for variant in (company["base"] + "ホールディングス", company["base"] + "テクノロジー"):
            if variant not in names:
                names.add(variant)
                extra.append(dict(company, base=variant))
    for kana, kanji in (("さくら", "桜"), ("あおば", "青葉"), ("ひかり", "光")):
        for name in (kana + "教育", kanji + "教育"):
            if name not in names:
                names.add(name)
                extra.append({"base": name, "form": "株式会社", "front": True, "latin": False})
    return companies + extra


def company_spelling(company):
    base = company["base"]
    if company["latin"]:
        form = company["form"]
        return rng.choice([f"{base} {form}", f"{base.upper()} {form}", full_width(f"{base} {form}"),
                           f"{base}, {form}", base + " " + form.replace(" ", "")])
    form = company["form"]
    spelled = rng.choice([form] * 3 + ABBREVIATED.get(form, []))
    body = base
    roll = rng.random()
    if roll < 0.12 and all("\u30A0" <= c <= "\u30FF" for c in base):
        body = half_width(base)
    elif roll < 0.2 and len(base) > 3:
        cut = rng.randrange(2, len(base) - 1)
        body = base[:cut] + rng.choice([" ", "・", "\u3000"]) + base[cut:]
    if rng.random() < 0.1 and spelled in ("㈱", "(株)", "（株）"):
        spelled = half_width(spelled) if spelled == "(株)" else spelled
    gap = rng.choice(["", "", " ", "\u3000"])
    return spelled + gap + body if company["front"] else body + gap + spelled


# --- partners -------------------------------------------------------------------------------
PLACE = ["旭", "青葉", "桜", "若葉", "緑", "美原", "朝日", "白石", "清水", "泉", "松原", "竹田", "梅田",
         "川口", "山本", "森岡", "港南", "日向", "富岡", "宮前", "城山", "岡崎", "沢田", "田原", "野田",
         "原町", "浜松", "島田", "高崎", "大沢", "小松", "新庄", "本庄", "北見", "南陽", "東根", "西条",
         "中野", "上田", "下田", "柏原", "栗原", "芦原", "石原", "金沢", "銀山", "鶴見", "亀山", "鷹巣"]
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
ARABIC = {k: str(i + 1) for i, k in enumerate(NUMERALS)}


def make_municipalities(count):
    seen = set()
    out = []
    while len(out) < count:
        name = rng.choice(PLACE) + rng.choice(["", "", rng.choice(PLACE)]) + rng.choice(["市", "市", "町", "村"])
        prefecture = rng.choice(PREFECTURES)
        if (name, prefecture) in seen:
            continue
        seen.add((name, prefecture))
        out.append({"kind": "muni", "name": name, "prefecture": prefecture})
        if rng.random() < 0.05:  # the same name in another prefecture (伊達市 in 北海道 and 福島県)
            other = rng.choice(PREFECTURES)
            if (name, other) not in seen:
                seen.add((name, other))
                out.append({"kind": "muni", "name": name, "prefecture": other})
    return out


SCHOOL_KINDS = [("小学校", ["小学校"], "muni"), ("中学校", ["中学校", "中学"], "muni"),
                ("高等学校", ["高等学校", "高校"], "pref"), ("特別支援学校", ["特別支援学校"], "pref"),
                ("義務教育学校", ["義務教育学校"], "muni"), ("中等教育学校", ["中等教育学校"], "pref")]


def make_schools(municipalities, count):
    out = []
    seen = set()
    while len(out) < count:
        muni = rng.choice(municipalities)
        kind, spellings, setter = rng.choice(SCHOOL_KINDS)
        numbered = kind in ("小学校", "中学校") and rng.random() < 0.3
        stem = "第" + rng.choice(NUMERALS) if numbered else rng.choice(PLACE) + rng.choice(["", "", "中央", "東", "西"])
        key = (stem, kind, muni["prefecture"], muni["name"] if setter == "muni" else "")
        if key in seen:
            continue
        seen.add(key)
        school = {"kind": "school", "stem": stem, "school_kind": kind, "spellings": spellings,
                  "setter": setter, "prefecture": muni["prefecture"], "municipality": muni["name"]}
        out.append(school)
        # Hard negatives: the same school name in another prefecture; 中等教育学校 beside 中学校.
        if rng.random() < 0.05:
            other = dict(school, prefecture=rng.choice(PREFECTURES))
            okey = (stem, kind, other["prefecture"], key[3])
            if okey not in seen:
                seen.add(okey)
                out.append(other)
        if kind == "中学校" and rng.random() < 0.05:
            okey = (stem, "中等教育学校", muni["prefecture"], "")
            if okey not in seen:
                seen.add(okey)
                out.append(dict(school, school_kind="中等教育学校", spellings=["中等教育学校"], setter="pref"))
    return out


def partner_identity(partner):
    if partner["kind"] == "muni":
        return ("muni", partner["name"], partner["prefecture"], "")
    muni = partner["municipality"] if partner["setter"] == "muni" else ""
    return ("school", partner["stem"] + partner["school_kind"], partner["prefecture"], muni)


def partner_spelling(partner, ambiguous_without):
    """Returns (partner text, prefecture column). `ambiguous_without` says which location parts
    cannot be dropped without making the name ambiguous for this company and content."""
    prefecture = partner["prefecture"]
    column = prefecture if rng.random() < 0.8 else rng.choice([short(prefecture), prefecture])
    drop_column = rng.random() < 0.15 and "prefecture" not in ambiguous_without
    if partner["kind"] == "muni":
        name = partner["name"]
        text = rng.choice([name, name, name + "教育委員会", name + "教育委員会事務局", name + "教委",
                           name + ("役所" if name.endswith("市") else "役場"), prefecture + name,
                           prefecture + " " + name + "教育委員会"])
        return text, "" if drop_column else column
    stem = partner["stem"]
    if stem.startswith("第") and rng.random() < 0.4:
        stem = "第" + ARABIC[stem[1:]]
    body = stem + rng.choice(partner["spellings"])
    if partner["setter"] == "pref":
        text = rng.choice([body, setter_of(prefecture) + body, prefecture + "立" + body, "県立" + body
                           if prefecture.endswith("県") else body])
        return text, "" if drop_column and not text.startswith(prefecture) else column
    municipality = partner["municipality"]
    options = [municipality + "立" + body, prefecture + municipality + "立" + body]
    if "municipality" not in ambiguous_without:
        options += [body, municipality[-1] + "立" + body]
    text = rng.choice(options)
    return text, "" if drop_column else column


# --- content --------------------------------------------------------------------------------
CONTENTS = ["出前授業", "プログラミング教室", "職場体験", "キャリア講話", "STEAM探究ワークショップ",
            "金融教育セミナー", "英語キャンプ", "データサイエンス講座", "起業家教育プログラム",
            "地域課題解決型学習", "ものづくり体験", "AI活用授業", "キャリア教育", "キャリア教室",
            "ロボット製作", "情報モラル講座", "環境学習", "防災教育", "職業講話", "インターンシップ"]
SUBTITLES = ["", "", "", "（基礎編）", "（応用編）", "【入門】", "～未来を創る～"]


def marker(session, total, date):
    month, day = date[5:7].lstrip("0"), date[8:10].lstrip("0")
    options = [
        "", f"（第{session}回）", f" 第{session}回", f"第{session}回 ", f"～第{session}回～", f" {session}回目",
        "（午前）", "【午後】", f"（{date[:4]}年{month}月）", f" {month}月{day}日", f"（{month}/{day}）",
        f"【第{session}回】", " 前期" if session * 2 <= total else " 後期", f"（第{session}回・午前）",
    ]
    if session <= 10:
        options.append(f"（第{NUMERALS[session - 1]}回）")
    return rng.choice(options)


def title_spelling(content, session, total, date):
    text = content
    if rng.random() < 0.05:
        text = full_width(text) if text.isascii() else text.replace("AI", "ＡＩ").replace("STEAM", "ＳＴＥＡＭ")
    mark = marker(session, total, date)
    if mark.endswith(" ") or (mark.startswith("【") and rng.random() < 0.5):
        return mark + text
    return text + mark


def typo(text):
    # One character replaced: the rule must not repair it (precision first); it is suggested.
    i = rng.randrange(len(text))
    return text[:i] + rng.choice("ア学習体教室講") + text[i + 1:]


# --- projects and sessions ------------------------------------------------------------------
def main():
    companies = make_companies(max(50, ROWS // 40))
    municipalities = make_municipalities(max(50, ROWS // 60))
    schools = make_schools(municipalities, max(50, ROWS // 12))
    partners = municipalities + schools
    projects = []
    seen = set()
    total_sessions = 0
    while total_sessions < ROWS:
        company = rng.choice(companies)
        partner = rng.choice(partners)
        content = rng.choice(CONTENTS) + rng.choice(SUBTITLES)
        key = (company["base"], partner_identity(partner), content)
        if key in seen:
            continue
        seen.add(key)
        sessions = min(1 + int(rng.expovariate(1 / 2.3)), 12, ROWS - total_sessions)
        projects.append({"company": company, "partner": partner, "content": content, "sessions": sessions,
                         "category": rng.choice(["ヒト", "モノ", "カネ"])})
        total_sessions += sessions

    # Which location parts may be dropped without ambiguity, per company and content.
    by_name = {}
    for project in projects:
        identity = partner_identity(project["partner"])
        by_name.setdefault((project["company"]["base"], project["content"], identity[0], identity[1]),
                           set()).add(identity)
    rows = []
    for number, project in enumerate(projects):
        identity = partner_identity(project["partner"])
        namesakes = by_name[(project["company"]["base"], project["content"], identity[0], identity[1])]
        ambiguous = set()
        if len({n[2] for n in namesakes}) > 1:
            ambiguous.add("prefecture")
        if len({(n[2], n[3]) for n in namesakes if n[2] == identity[2]}) > 1:
            ambiguous.add("municipality")
        month0 = rng.randrange(7, 14)
        for session in range(1, project["sessions"] + 1):
            month = (month0 + session - 1 - 1) % 12 + 1
            year = 2026 if month >= 4 else 2027
            date = f"{year}-{month:02d}-{rng.randrange(1, 29):02d}"
            partner, column = partner_spelling(project["partner"], ambiguous)
            title = title_spelling(project["content"], session, project["sessions"], date)
            if rng.random() < 0.003:
                title = typo(title)
            rows.append({"group": f"G{number:06d}", "date": date, "title": title,
                         "company": company_spelling(project["company"]), "partner": partner,
                         "prefecture": column, "category": project["category"]})
    rng.shuffle(rows)
    with open(OUT, "w", newline="", encoding="utf-8") as out, open(TRUTH, "w", newline="", encoding="utf-8") as truth:
        writer = csv.writer(out, lineterminator="\r\n")
        truth_writer = csv.writer(truth)
        writer.writerow(["id", "date", "title", "company", "partner", "prefecture", "category"])
        line = 1
        for index, row in enumerate(rows):
            line += 1
            record_id = f"A{index + 1:06d}"
            if rng.random() < 0.003:
                damage = rng.choice(["company", "partner", "date"])
                row = dict(row, **{damage: "2026-02-30" if damage == "date" else ""})
                truth_writer.writerow([record_id, "bad", line])
            else:
                truth_writer.writerow([record_id, row["group"], line])
            writer.writerow([record_id, row["date"], row["title"], row["company"], row["partner"],
                             row["prefecture"], row["category"]])


main()

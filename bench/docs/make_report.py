#!/usr/bin/env python3
"""Writes a long Japanese report in Markdown for bench/docs.sh.

Usage: make_report.py OUT.md [PARAGRAPHS_PER_SECTION]
10 chapters x 5 sections, 60 charts (6 per chapter, every chart type), 40 tables (4 per
chapter, 25 rows each), footnotes and lists. The text is varied but deterministic (seeded), so
every run renders the same document.
"""
import json
import random
import sys

rng = random.Random(20270331)
out_path = sys.argv[1]
per_section = int(sys.argv[2]) if len(sys.argv) > 2 else 27

SUBJECTS = ["本事業", "地域ブロックの事務局", "参加校の教員", "協力企業の担当者", "コーディネーター",
            "実証事業者", "有識者会議", "生徒アンケート"]
VERBS = ["を実施した", "を整理した", "を確認した", "が明らかになった", "を検討した", "を改善した"]
OBJECTS = ["探究学習の題材提供", "授業設計の伴走支援", "企業との日程調整", "成果発表会の運営",
           "キャリア教育との接続", "データ・セキュリティーの確保", "ユーザー・インターフェースの改善",
           "フィードバックの収集", "キャッシュレス決済の体験学習", "地域資源の活用"]
CLAUSES = ["その結果、", "一方で、", "また、", "さらに、", "このため、", "具体的には、"]
TYPES = ["bar", "line", "stacked_bar", "pie", "histogram", "scatter"]
REGIONS = ["北海道", "東北", "関東", "中部", "近畿", "中国", "四国", "九州", "沖縄", "北陸"]
PREFS = ["北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
         "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
         "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県"]


def sentence():
    s = f"{rng.choice(CLAUSES)}{rng.choice(SUBJECTS)}は「{rng.choice(OBJECTS)}」{rng.choice(VERBS)}"
    if rng.random() < 0.4:
        s += f"（対象は{rng.randint(12, 480)}校、延べ{rng.randint(1, 9)},{rng.randint(100, 999)}人）"
    return s + "。"


def paragraph():
    return "".join(sentence() for _ in range(rng.randint(4, 7)))


def chart(kind, number):
    months = [f"{m}月" for m in [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]]
    if kind == "pie":
        spec = {"categories": REGIONS[:6], "series": [{"name": "件数", "values": [rng.randint(20, 300) for _ in range(6)]}]}
    elif kind == "histogram":
        spec = {"series": [{"name": "得点", "values": [round(rng.gauss(70, 12), 1) for _ in range(200)]}]}
    elif kind == "scatter":
        xs = [rng.randint(1, 20) for _ in range(40)]
        spec = {"categories": [str(x) for x in xs], "series": [{"name": "学校", "values": [50 + 2 * x + rng.randint(-8, 8) for x in xs]}]}
    elif kind == "line":
        spec = {"categories": months, "series": [{"name": f"令和{y}年度", "values": [rng.randint(10, 200) for _ in months]} for y in (6, 7, 8)]}
    else:
        spec = {"categories": REGIONS, "series": [{"name": n, "values": [rng.randint(5, 90) for _ in REGIONS]} for n in ("目標", "実績")]}
    spec.update({"title": f"集計結果その{number}", "type": kind, "unit": "件"})
    return "```chart\n" + json.dumps(spec, ensure_ascii=False) + "\n```\n"


def table(number):
    rows = ["| 都道府県 | 参加校数（校） | 協力企業数（社） | 実施回数（回） | 満足度（%） |", "| --- | ---: | ---: | ---: | ---: |"]
    for p in PREFS:
        rows.append(f"| {p} | {rng.randint(3, 90)} | {rng.randint(10, 400):,} | {rng.randint(1, 60)} | {rng.uniform(60, 99):.1f} |")
    return "\n".join(rows) + f"\n\nTable: 都道府県別の実施状況その{number}\n"


parts = ["---", "title: 学校と企業の連携による探究学習支援事業 報告書（性能測定用）",
         "subtitle: 令和8年度 実証事業の成果と課題", "issuer: 経済産業省 産業技術環境局", "date: 2027年3月", "---", ""]
charts = tables = notes = 0
for c in range(1, 11):
    parts.append(f"# 第{c}の論点の検討\n")
    for s in range(1, 6):
        parts.append(f"## 観点{s}についての整理\n")
        for p in range(per_section):
            text = paragraph()
            if p == 2 and notes < 40:
                notes += 1
                text += f"[^n{notes}]"
            parts.append(text + "\n")
            if p == 4 and s in (1, 3):
                parts.append("1. " + rng.choice(OBJECTS) + "\n2. " + rng.choice(OBJECTS) + "\n   - " + rng.choice(OBJECTS) + "\n")
        if s <= 3 or s == 5:
            if charts < 60:
                charts += 1
                parts.append(chart(TYPES[charts % len(TYPES)], charts))
            if s != 5 and charts < 60:
                charts += 1
                parts.append(chart(TYPES[charts % len(TYPES)], charts))
        if s in (1, 2, 4, 5) and tables < 40:
            tables += 1
            parts.append(table(tables))
for n in range(1, notes + 1):
    parts.append(f"[^n{n}]: 注記{n}。数値は令和9年2月末時点のものである。\n")
with open(out_path, "w", encoding="utf-8") as f:
    f.write("\n".join(parts))
print(f"{out_path}: {charts} charts, {tables} tables", file=sys.stderr)

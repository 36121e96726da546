#!/usr/bin/env python3
"""Writes a Microsoft Forms-style export for bench/survey.sh: one row per answer sheet,
RESPONDENTS respondents x 2 waves x ITEMS five-point items answered in wording, UTF-8 with BOM.
Deterministic (fixed seed); about 2% of post sheets missing, 0.1% of answers off the scale or
blank, some full-width spaces around answers, so every code path of the import runs."""
import random
import sys

respondents, items, csv_path, config_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(20261125)
WORDING = ["まったくそう思わない", "あまりそう思わない", "どちらともいえない", "そう思う", "とてもそう思う"]
# Small effects, as real projects show: t from about 0 to 15, so every p-value is a real number.
effects = [rng.choice([-0.02, 0.0, 0.005, 0.01, 0.02, 0.04]) for _ in range(items)]

def answer(points):
    r = rng.random()
    if r < 0.0005:
        return "とても思う"        # off the scale
    if r < 0.001:
        return ""                  # blank
    if r < 0.01:
        return "\u3000" + WORDING[points - 1] + " "
    return WORDING[points - 1]

with open(csv_path, "w", encoding="utf-8-sig", newline="") as out:
    out.write("ID,開始時刻,完了時刻,回答者ID,時期," + ",".join(f"Q{i + 1}" for i in range(items)) + "\r\n")
    base = [[rng.randint(1, 5) for _ in range(items)] for _ in range(respondents)]
    sheet = 0
    for wave in ("事前", "事後"):
        for person in range(respondents):
            if wave == "事後" and rng.random() < 0.02:
                continue
            row = []
            for i in range(items):
                p = base[person][i]
                if wave == "事後":
                    p = min(5, max(1, p + round(rng.gauss(effects[i], 0.9))))
                row.append(answer(p))
            sheet += 1
            out.write(f"{sheet},2026/06/01 10:00:00,2026/06/01 10:05:00,P{person:06d},{wave},"
                      + ",".join(row) + "\r\n")

scale = ",".join(f'"{w}": {k + 1}' for k, w in enumerate(WORDING))
with open(config_path, "w", encoding="utf-8") as out:
    out.write('{"title": "ベンチマーク", "respondent": "回答者ID", "wave": "時期", "pre": "事前", '
              '"post": "事後", "items": [\n')
    out.write(",\n".join(f'  {{"column": "Q{i + 1}", "group": "群{i // 10 + 1}", "scale": {{{scale}}}}}'
                         for i in range(items)))
    out.write("\n]}\n")

#!/usr/bin/env python3
"""The reference run of bench/survey.sh: the same analysis in Python (csv module, NFKC via
unicodedata, pairing, R's t.test and wilcox.test formulas, p-values with mpmath at 30 digits),
then a check that kakehashi's JSON agrees to 1e-9 relative on every number of every item.
Prints the reference's own time (analysis only, without the agreement check) on stdout."""
import csv
import json
import math
import sys
import time
import unicodedata

import mpmath as mp

mp.mp.dps = 30
csv_path, config_path, kakehashi_json = sys.argv[1], sys.argv[2], sys.argv[3]


def norm(text):
    return unicodedata.normalize("NFKC", text).strip()


def analyse():
    config = json.load(open(config_path, encoding="utf-8"))
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = [norm(h) for h in rows[0]]
    rid, wave = header.index(config["respondent"]), header.index(config["wave"])
    sheets = {}
    for row in rows[1:]:
        key = (norm(row[rid]), norm(row[wave]))
        sheets.setdefault(key, row)
    people = list(dict.fromkeys(k[0] for k in sheets))
    results = []
    for item in config["items"]:
        col = header.index(item["column"])
        scale = {norm(k): v for k, v in item["scale"].items()}
        pre, post = [], []
        for person in people:
            a = sheets.get((person, config["pre"]))
            b = sheets.get((person, config["post"]))
            va = scale.get(norm(a[col])) if a else None
            vb = scale.get(norm(b[col])) if b else None
            if va is not None and vb is not None:
                pre.append(va)
                post.append(vb)
        n = len(pre)
        d = [y - x for x, y in zip(pre, post)]
        md = math.fsum(d) / n
        var = math.fsum((x - md) ** 2 for x in d) / (n - 1)
        se = math.sqrt(var / n)
        t = md / se
        df = n - 1
        try:
            p = mp.betainc(mp.mpf(df) / 2, 0.5, 0, df / (df + mp.mpf(t) ** 2), regularized=True)
        except ValueError:  # mpmath gives up on tails far below the smallest double: 0, as in R
            p = mp.mpf(0)
        q = mp.findroot(lambda q: mp.betainc(mp.mpf(df) / 2, 0.5, 0, df / (df + q * q),
                                             regularized=True) - mp.mpf("0.05"), 1.96)
        nz = sorted((x for x in d if x != 0), key=abs)
        m = len(nz)
        v2 = ties = i = 0
        while i < m:
            j = i
            while j < m and abs(nz[j]) == abs(nz[i]):
                j += 1
            v2 += (i + 1 + j) * sum(1 for k in range(i, j) if nz[k] > 0)
            ties += (j - i) ** 3 - (j - i)
            i = j
        centred = v2 / 2 - m * (m + 1) / 4
        z = (centred - math.copysign(0.5, centred)) / math.sqrt(m * (m + 1) * (2 * m + 1) / 24 - ties / 48)
        wp = mp.erfc(abs(mp.mpf(z)) / mp.sqrt(2))
        results.append({"n": n, "mean_diff": md, "sd_diff": math.sqrt(var), "t": t, "p": float(p),
                        "ci_low": float(md - q * se), "ci_high": float(md + q * se), "V": v2 / 2,
                        "wilcoxon_p": float(wp)})
    return results


start = time.perf_counter()
reference = analyse()
elapsed = time.perf_counter() - start

ours = json.load(open(kakehashi_json, encoding="utf-8"))["items"]
worst = 0.0
for ref, item in zip(reference, ours):
    got = {"n": item["n"], "mean_diff": item["mean_diff"], "sd_diff": item["sd_diff"],
           "t": item["t_test"]["t"], "p": item["t_test"]["p"], "ci_low": item["t_test"]["ci95"][0],
           "ci_high": item["t_test"]["ci95"][1], "V": item["wilcoxon"]["V"],
           "wilcoxon_p": item["wilcoxon"]["p"]}
    for key, value in ref.items():
        error = abs(got[key] - value) / abs(value) if value else abs(got[key])
        worst = max(worst, error)
        if error > 1e-9:
            print(f"MISMATCH {item['column']} {key}: kakehashi {got[key]!r} reference {value!r}",
                  file=sys.stderr)
print(f"{elapsed:.3f} {worst:.3g} {len(reference)}")

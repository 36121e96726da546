#!/usr/bin/env python3
"""Reference groupings for bench/count.sh, timed in the same run as kakehashi.

usage: reference.py IN.csv TRUTH.csv
prints one line per method: name seconds precision recall projects
  exact:  records grouped on the raw (company, partner, title) text, what a pivot table does
  nfkc:   the same after NFKC, spaces removed and ASCII lower-cased (Python's unicodedata)
"""
import csv
import sys
import time
import unicodedata

from pairwise import pairwise


def load(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def exact(rows):
    return {r["id"]: (r["company"], r["partner"], r["prefecture"], r["title"]) for r in rows
            if r["company"] and r["partner"]}


def nfkc(rows):
    def key(text):
        return "".join(unicodedata.normalize("NFKC", text).split()).lower()
    return {r["id"]: (key(r["company"]), key(r["partner"]), r["prefecture"], key(r["title"])) for r in rows
            if r["company"] and r["partner"]}


def main():
    truth = {row[0]: row[1] for row in csv.reader(open(sys.argv[2], encoding="utf-8")) if row[1] != "bad"}
    for name, method in (("exact", exact), ("nfkc", nfkc)):
        start = time.perf_counter()
        groups = method(load(sys.argv[1]))
        seconds = time.perf_counter() - start
        precision, recall, _ = pairwise(groups, truth)
        print(f"{name} {seconds:.3f} {precision:.6f} {recall:.6f} {len(set(groups.values()))}")


main()

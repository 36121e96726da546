#!/usr/bin/env python3
"""Scores `kakehashi project count` output against the generator's truth.

usage: score.py OUT.json TRUTH.csv
prints: precision recall projects true_projects suggested_share bad_ok
  precision, recall: pairwise, over pairs of good records (same project in output / in truth)
  suggested_share: of the true pairs the output keeps apart, the share whose two projects are
                   linked by a suggestion (what a reviewer would see)
  bad_ok: 1 when exactly the damaged rows were reported, by line, and left out
Exits 1 when a good id is missing or appears twice.
"""
import csv
import json
import sys
from collections import Counter, defaultdict

from pairwise import pairwise


def main():
    out = json.load(open(sys.argv[1], encoding="utf-8"))
    truth = {}
    bad_lines = set()
    for record_id, group, line in csv.reader(open(sys.argv[2], encoding="utf-8")):
        if group == "bad":
            bad_lines.add(int(line))
        else:
            truth[record_id] = group
    project_of = {}
    for project in out["projects"]:
        for session in project["sessions"]:
            if session in project_of:
                print(f"id {session} is in two projects", file=sys.stderr)
                sys.exit(1)
            project_of[session] = project["id"]
    missing = set(truth) - set(project_of)
    if missing:
        print(f"{len(missing)} good ids are in no project, e.g. {sorted(missing)[:3]}", file=sys.stderr)
        sys.exit(1)
    precision, recall, cells = pairwise(project_of, truth)
    actual = Counter(truth.values())

    linked = set()
    for suggestion in out["suggestions"]:
        a, b = suggestion["projects"]
        linked.add((a, b))
        linked.add((b, a))
    by_group = defaultdict(Counter)
    for (project, group), n in cells.items():
        by_group[group][project] += n
    missed = 0
    missed_suggested = 0
    for projects in by_group.values():
        items = list(projects.items())
        for x in range(len(items)):
            for y in range(x + 1, len(items)):
                n = items[x][1] * items[y][1]
                missed += n
                if (items[x][0], items[y][0]) in linked:
                    missed_suggested += n
    suggested_share = missed_suggested / missed if missed else 1.0
    reported = {row["line"] for row in out["bad_rows"]}
    bad_ok = int(reported == bad_lines and not any(i in project_of for i in bad_ids(sys.argv[2])))
    print(f"{precision:.6f} {recall:.6f} {out['count']} {len(actual)} {suggested_share:.3f} {bad_ok}")


def bad_ids(path):
    return {row[0] for row in csv.reader(open(path, encoding="utf-8")) if row[1] == "bad"}


main()

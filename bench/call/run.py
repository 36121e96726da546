#!/usr/bin/env python3
"""Benchmark of `kakehashi call solve` and `kakehashi call assign` against GLPK (glpsol).

Every instance is solved by the engine (the whole CLI process, best wall time of 3 runs, and
its CPU time) and by glpsol on the same model as a MIP (selection.mod, assignment.mod, written
from the same JSON). The table shows both optima (they must be equal: the engine is exact) and
both times. The issue's size is 60 applications in 10 blocks, and 60 applications with 40
reviewers; a few larger rows show how the time grows.

Selection families: "random" (scores 50-100, requests 14-26 million yen to the yen, so some are
out of range), "tight" (cap 180 million), "min70" (minimum score 70), "correlated" (score
exactly proportional to the request: every partial selection is Pareto-optimal, the worst case
of the engine's fronts). Assignment families (expertise 0-2 of 8 topics, one topic per application): "even" (maximum
load ceil(3 x applications / reviewers), 5 at the issue's size; 0-3 conflicts per reviewer), "auto"
(maximum load 0: the engine picks the smallest that works; glpsol confirms that one less is
infeasible), "conflicts" (as "even" with 5-10 conflicts per reviewer).

glpsol's answer is read back (PICK lines) and its objective recomputed exactly in Python, and its
selection checked against the cap in integer yen: glpsol's tolerances let a MIP answer exceed a
210 million yen cap by a few yen, which the table shows instead of a total.

Usage: run.py BIN [--quick]
"""
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BLOCKS = ["hokkaido", "tohoku", "kanto", "tokai", "hokuriku", "kinki", "chugoku", "shikoku",
          "kyushu", "okinawa"]
TOPICS = ["pbl", "ict", "tourism", "manufacturing", "agriculture", "care", "finance", "energy"]


def engine(binary, command, path, runs=3):
    best_wall, cpu, out = None, [], None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([binary, "call", command, "--input", path], capture_output=True,
                              text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        best_wall = wall if best_wall is None else min(best_wall, wall)
        out = proc
    if out.returncode != 0:
        return None, best_wall, min(cpu), out.stderr.strip()
    return json.loads(out.stdout), best_wall, min(cpu), ""


def glpsol(model, dat, work, tmlim=120):
    """Solves the MIP; returns (status, the chosen variables' keys from the model's PICK lines,
    wall seconds). The objective is recomputed from the picks by the caller, exactly."""
    out = os.path.join(work, "glpsol.out")
    start = time.perf_counter()
    proc = subprocess.run(["glpsol", "--math", os.path.join(HERE, model), "--data", dat, "-o", out,
                           "--tmlim", str(tmlim)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    status = re.search(r"Status:\s+(.+)", open(out).read()).group(1).strip()
    picks = [line.split()[1:] for line in proc.stdout.splitlines() if line.startswith("PICK ")]
    return status, picks, wall


def selection_instance(seed, applications, family):
    rng = random.Random(seed)
    cap = 180_000_000 if family == "tight" else 210_000_000
    apps = []
    for i in range(applications):
        block = BLOCKS[i % 10] if i < 10 else rng.choice(BLOCKS)
        requested = rng.randint(14_000_000, 26_000_000)
        score = requested / 250_000 if family == "correlated" else round(rng.uniform(50, 100), 2)
        apps.append({"id": f"app{i:03}", "operator": f"op{rng.randrange(applications * 2 // 3)}",
                     "block": block, "score": score, "requested": requested,
                     "submitted_at": f"2026-06-{rng.randint(1, 20):02}T{rng.randint(0, 23):02}:00:00+09:00"})
    doc = {"budget_total": cap, "award_min": 15_000_000, "award_max": 25_000_000,
           "blocks": BLOCKS, "applications": apps}
    if family == "min70":
        doc["min_score"] = 70
    return doc


def selection_dat(doc):
    eligible = [a for a in doc["applications"]
                if doc["award_min"] <= a["requested"] <= doc["award_max"]
                and a["score"] >= doc.get("min_score", float("-inf"))]
    lines = ["data;", "set B := " + " ".join(doc["blocks"]) + ";",
             "set A := " + " ".join(a["id"] for a in eligible) + ";",
             "param BLOCK := " + " ".join(f"{a['id']} {a['block']}" for a in eligible) + ";",
             "param SCORE := " + " ".join(f"{a['id']} {a['score']!r}" for a in eligible) + ";",
             "param REQ := " + " ".join(f"{a['id']} {a['requested']}" for a in eligible) + ";",
             f"param CAP := {doc['budget_total']};", "end;"]
    return "\n".join(lines) + "\n"


def assignment_instance(seed, applications, reviewers, family):
    rng = random.Random(seed)
    operators = applications * 3 // 4
    # Narrow expertise (0-2 of 8 topics, one topic per application) so that matching binds.
    revs = [{"id": f"rev{r:03}", "expertise": rng.sample(TOPICS, rng.randint(0, 2))}
            for r in range(reviewers)]
    apps = [{"id": f"app{a:03}", "operator": f"op{rng.randrange(operators)}",
             "topics": rng.sample(TOPICS, 1)} for a in range(applications)]
    low, high = (5, 10) if family == "conflicts" else (0, 3)
    conflicts = [{"reviewer": r["id"], "operator": f"op{o}"} for r in revs
                 for o in rng.sample(range(operators), rng.randint(low, high))]
    # The tightest load the average allows (5 for 180 reviews on 40 reviewers), or automatic.
    max_load = 0 if family == "auto" else -(-applications * 3 // reviewers)
    return {"per_application": 3, "max_load": max_load, "reviewers": revs,
            "applications": apps, "conflicts": conflicts}


def pair_costs(doc):
    return {(a["id"], r["id"]): 0 if set(a["topics"]) & set(r["expertise"]) else 1
            for a in doc["applications"] for r in doc["reviewers"]}


def assignment_dat(doc, max_load):
    conflicted = {(c["reviewer"], c["operator"]) for c in doc["conflicts"]}
    costs = pair_costs(doc)
    lines = ["data;", "set A := " + " ".join(a["id"] for a in doc["applications"]) + ";",
             "set R := " + " ".join(r["id"] for r in doc["reviewers"]) + ";",
             f"param K := {doc['per_application']};", f"param M := {max_load};"]
    pairs = []
    for a in doc["applications"]:
        allowed = [r["id"] for r in doc["reviewers"] if (r["id"], a["operator"]) not in conflicted]
        lines.append(f"set RA[{a['id']}] := " + " ".join(allowed) + ";")
        pairs += [f"{a['id']} {r} {costs[(a['id'], r)]}" for r in allowed]
    for r in doc["reviewers"]:
        allowed = [a["id"] for a in doc["applications"]
                   if (r["id"], a["operator"]) not in conflicted]
        lines.append(f"set AR[{r['id']}] := " + " ".join(allowed) + ";")
    lines += ["param COST := " + " ".join(pairs) + ";", "end;"]
    return "\n".join(lines) + "\n"


def write(work, name, text):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    binary = sys.argv[1]
    quick = "--quick" in sys.argv
    seeds = range(1, 4 if quick else 11)
    slowest = {"solve": 0.0, "assign": 0.0}
    mismatches = 0
    with tempfile.TemporaryDirectory() as work:
        print("## call solve: 10 blocks")
        print("| applications | family | seed | total score | glpsol | engine >= glpsol |"
              " engine wall s | engine CPU s | glpsol s |")
        print("|---|---|---|---|---|---|---|---|---|")
        rows = [(60, f) for f in ("random", "tight", "min70", "correlated")]
        rows += [(200, "random"), (200, "correlated")]  # glpsol: tens of seconds on the latter
        for applications, family in rows:
            for seed in (seeds if applications == 60 else seeds[:2]):
                doc = selection_instance(seed, applications, family)
                path = write(work, "s.json", json.dumps(doc))
                out, wall, cpu, err = engine(binary, "solve", path)
                status, picks, g_wall = glpsol("selection.mod",
                                               write(work, "s.dat", selection_dat(doc)), work)
                by_id = {a["id"]: a for a in doc["applications"]}
                score = out["total_score"] if out else None
                best = None  # glpsol's total, recomputed, when its answer keeps the rules
                if picks:
                    spent = sum(by_id[p[0]]["requested"] for p in picks)
                    if spent > doc["budget_total"]:
                        status = f"over the cap by {spent - doc['budget_total']} yen"
                    else:
                        best = sum(by_id[p[0]]["score"] for p in picks)
                proven = status == "INTEGER OPTIMAL"
                if score is None:
                    equal = best is None  # neither finds a selection within the rules
                elif best is None:
                    equal = not proven  # nothing valid to compare with
                else:
                    # glpsol's answer must not beat the engine's. It may fall short: its
                    # "INTEGER OPTIMAL" is optimal within floating tolerances, and on the
                    # correlated family (score 4 per million yen) it can leave a few yen, so
                    # 1e-5 points, unspent.
                    equal = best <= score + 1e-6
                    if score > best + 1e-6:
                        equal = "engine better"
                mismatches += not equal
                if applications == 60:
                    slowest["solve"] = max(slowest["solve"], wall)
                verdict = equal if isinstance(equal, str) else "yes" if equal else "**NO**"
                shown = f"{score:.6f}" if out else f"infeasible: {err.removeprefix('kakehashi: ')}"
                reference = f"{best:.6f}" if best is not None else status.lower()
                if best is not None and not proven:
                    reference += f" ({status.lower()})"
                print(f"| {applications} | {family} | {seed} | {shown} |"
                      f" {reference} | {verdict} |"
                      f" {wall:.3f} | {cpu:.3f} | {g_wall:.2f} |", flush=True)
        print()
        print("## call assign: 3 reviewers per application")
        print("| applications | reviewers | family | seed | max load | cost | glpsol optimum |"
              " equal | engine wall s | engine CPU s | glpsol s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        rows = [(60, 40, f) for f in ("even", "auto", "conflicts")] + [(300, 150, "even")]
        for applications, reviewers, family in rows:
            for seed in (seeds if applications == 60 else seeds[:2]):
                doc = assignment_instance(seed, applications, reviewers, family)
                path = write(work, "a.json", json.dumps(doc))
                out, wall, cpu, err = engine(binary, "assign", path)
                load = out["max_load"] if out else doc["max_load"] or applications
                status, picks, g_wall = glpsol("assignment.mod",
                                               write(work, "a.dat", assignment_dat(doc, load)), work)
                costs = pair_costs(doc)
                best = sum(costs[(a, r)] for a, r in picks) if "OPTIMAL" in status else None
                cost = out["cost"] if out else None
                equal = (cost is None and best is None) or (
                    cost is not None and best is not None and cost == best)
                if out and family == "auto" and load > 1:
                    below, _, _ = glpsol("assignment.mod",
                                         write(work, "b.dat", assignment_dat(doc, load - 1)), work)
                    equal = equal and "OPTIMAL" not in below  # one less must be infeasible
                mismatches += not equal
                if applications == 60:
                    slowest["assign"] = max(slowest["assign"], wall)
                shown = cost if out else f"infeasible: {err.removeprefix('kakehashi: ')}"
                print(f"| {applications} | {reviewers} | {family} | {seed} | {load} | {shown} |"
                      f" {best if best is not None else status.lower()} | {'yes' if equal else '**NO**'} |"
                      f" {wall:.3f} | {cpu:.3f} | {g_wall:.2f} |", flush=True)
    print()
    print(f"slowest at the issue's size: solve {slowest['solve']:.3f} s, assign"
          f" {slowest['assign']:.3f} s wall (goal < 1 s)")
    print(f"instances where glpsol beat the engine or the rules disagree: {mismatches} (goal 0)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()

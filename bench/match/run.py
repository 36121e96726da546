#!/usr/bin/env python3
"""Benchmark of `kakehashi match schedule` against GLPK on random instances (generate.py).

Families (generate.py): "event" availability (a block missed by 40%) and "tight" (each person
available in a scattered half to three quarters of the slots, so the slot assignment binds);
300 requests on 60 people is a stress family beyond the issue's sizes.

Large instances: the engine's total weight against the LP relaxation of match.mod solved by
glpsol (an upper bound on any schedule, see docs/matchmaking.md). Small instances: against the
exact optimum of match.mod solved as a MIP by glpsol (bounded by --tmlim; when the limit stops
it, the LP bound is used instead and the line says so). Times: the engine's wall time (best
of 3 runs, whole CLI process including JSON parsing) and its CPU time, and glpsol's wall time
as the reference in the same run.

Usage: run.py BIN [--quick]
"""
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "match.mod")


def engine(binary, path, runs=3):
    best_wall = None
    cpu = []
    out = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([binary, "match", "schedule", "--input", path],
                             check=True, capture_output=True, text=True).stdout
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        best_wall = wall if best_wall is None else min(best_wall, wall)
    doc = json.loads(out)
    return doc, best_wall, min(cpu)


def glpsol(dat, mip, tmlim, work):
    out = os.path.join(work, "glpsol.out")
    cmd = ["glpsol", "--math", MODEL, "--data", dat, "--tmlim", str(tmlim), "-o", out]
    if not mip:
        cmd.append("--nomip")
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    text = open(out).read()
    status = re.search(r"Status:\s+(.+)", text).group(1).strip()
    value = float(re.search(r"Objective:\s+total_weight = ([0-9.eE+-]+)", text).group(1))
    return status, value, wall


def instance(work, name, participants, requests, slots, tables, seed, profile=""):
    path = os.path.join(work, f"{name}.json")
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(participants),
                        str(requests), str(slots), str(tables), str(seed)] +
                       ([profile] if profile else []), stdout=f, check=True)
    dat = os.path.join(work, f"{name}.dat")
    with open(dat, "w") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "to_mathprog.py"), path], stdout=f,
                       check=True)
    return path, dat


def main():
    binary = sys.argv[1]
    quick = "--quick" in sys.argv
    large_seeds = range(1, 3 if quick else 6)
    small_seeds = range(1, 4 if quick else 11)
    tmlim = int(os.environ.get("TMLIM", "120"))
    worst = {"large": 1.0, "small": 1.0}
    slowest = 0.0
    slowest_cpu = 0.0
    with tempfile.TemporaryDirectory() as work:
        print("## large: 300 participants, 2,000 requests, 12 slots")
        print("| tables | seed | meetings | weight | LP bound | weight / bound | idle slots |"
              " engine wall s | engine CPU s | glpsol LP s |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for tables in (40, 80):
            for seed in large_seeds:
                path, dat = instance(work, f"L{tables}_{seed}", 300, 2000, 12, tables, seed)
                doc, wall, cpu = engine(binary, path)
                status, bound, lp_wall = glpsol(dat, False, tmlim, work)
                ratio = doc["total_weight"] / bound if bound else 1.0
                if tables == 40:
                    worst["large"] = min(worst["large"], ratio)
                slowest = max(slowest, wall)
                slowest_cpu = max(slowest_cpu, cpu)
                print(f"| {tables} | {seed} | {len(doc['meetings'])} | {doc['total_weight']} |"
                      f" {bound:.1f} | {ratio:.4f} | {doc['idle_slots']} | {wall:.3f} |"
                      f" {cpu:.3f} | {lp_wall:.2f} |", flush=True)
        print()
        print("## small: 60 participants, 8 slots")
        print("| requests | profile | tables | seed | meetings | weight | optimum (glpsol) |"
              " weight / optimum | idle slots | engine wall s | glpsol MIP s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        families = [(200, "", 10), (200, "", 20), (200, "tight", 30), (300, "tight", 30)]
        for requests, profile, tables in families:
            for seed in small_seeds:
                path, dat = instance(work, f"S{requests}{profile}{tables}_{seed}", 60, requests,
                                     8, tables, seed, profile)
                doc, wall, cpu = engine(binary, path)
                status, best, mip_wall = glpsol(dat, True, tmlim, work)
                label = f"{best:.0f}"
                if status != "INTEGER OPTIMAL":
                    _, best, _ = glpsol(dat, False, tmlim, work)
                    label = f"{best:.1f} (LP bound; MIP stopped: {status})"
                ratio = doc["total_weight"] / best if best else 1.0
                key = "small" if requests == 200 else "stress"
                worst[key] = min(worst.get(key, 1.0), ratio)
                print(f"| {requests} | {profile or 'event'} | {tables} | {seed} | {len(doc['meetings'])} | {doc['total_weight']} |"
                      f" {label} | {ratio:.4f} | {doc['idle_slots']} | {wall:.3f} |"
                      f" {mip_wall:.2f} |", flush=True)
    print()
    print(f"worst small weight / optimum: {worst['small']:.4f} (goal >= 0.99)")
    print(f"worst stress (300 requests, tight) weight / optimum: {worst['stress']:.4f}")
    print(f"worst large (40 tables) weight / bound: {worst['large']:.4f} (goal >= 0.97)")
    print(f"slowest large run: {slowest:.3f} s wall, {slowest_cpu:.3f} s CPU (goal < 1 s)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the MathProg data section for match.mod from a `kakehashi match schedule` input JSON:
one pair per pair of participants with an accepted request, weighted by the sum of the
priorities of the accepted requests between them (either direction), as the engine does.

Usage: to_mathprog.py instance.json > instance.dat
"""
import json
import sys


def main(path):
    doc = json.load(open(path, encoding="utf-8"))
    slots = [s["id"] for s in doc["slots"]]
    avail = {}
    cap = {}
    for p in doc["participants"]:
        avail[p["id"]] = set(p["available"])
        limit = p.get("max_meetings")
        cap[p["id"]] = len(avail[p["id"]]) if limit is None else min(limit, len(avail[p["id"]]))
    pairs = {}
    order = []
    for r in doc.get("requests", []):
        if not r.get("accepted"):
            continue
        key = frozenset((r["from"], r["to"]))
        if key not in pairs:
            pairs[key] = [r["from"], r["to"], 0]
            order.append(key)
        pairs[key][2] += r["priority"]
    index = {key: i + 1 for i, key in enumerate(order)}
    out = ["data;", "set S := " + " ".join(slots) + ";", f"param T := {doc['tables']};",
           "set P := " + " ".join(avail) + ";", "param M :=" + "".join(
               f" {p} {c}" for p, c in cap.items()) + ";",
           "set E := " + " ".join(str(i) for i in index.values()) + ";",
           "param W :=" + "".join(f" {index[k]} {pairs[k][2]}" for k in order) + ";"]
    incident = {p: [] for p in avail}
    for k in order:
        a, b, _ = pairs[k]
        common = [s for s in slots if s in avail[a] and s in avail[b]]
        out.append(f"set CS[{index[k]}] := " + " ".join(common) + ";")
        incident[a].append(index[k])
        incident[b].append(index[k])
    for p, edges in incident.items():
        out.append(f"set INC[{p}] := " + " ".join(map(str, edges)) + ";")
    locks = []
    for lock in doc.get("locked", []):
        locks.append(f"({index[frozenset((lock['a'], lock['b']))]}, {lock['slot']})")
    out.append("set L := " + " ".join(locks) + ";")
    out.append("end;")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])

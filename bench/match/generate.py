#!/usr/bin/env python3
"""Random matchmaking instances for bench/match.sh, in the input format of
`kakehashi match schedule`, shaped like a national final event:

- sides: 45% companies, 40% schools, 15% municipalities; requests go between a company and a
  school or municipality (either direction), never to oneself or twice in one direction;
- priority 3 / 2 / 1 with probability 0.3 / 0.4 / 0.3; 85% of requests accepted;
  a fifth of requests are answered by a request the other way (mutual interest);
- 40% of participants miss a contiguous block of 1..slots/3 slots (arrive late, leave early);
- max_meetings uniform in [slots/2, slots].

With the profile "tight" every participant is instead available in a random half to three
quarters of the slots (scattered, not one block), which makes the slot assignment itself
(the edge colouring) bind and the LP relaxation fractional.

Usage: generate.py PARTICIPANTS REQUESTS SLOTS TABLES SEED [tight] > instance.json
"""
import json
import random
import sys


def generate(participants, requests, slots, tables, seed, tight=False):
    rng = random.Random(seed)
    slot_ids = [f"s{i + 1:02d}" for i in range(slots)]
    people = []
    for i in range(participants):
        r = rng.random()
        side = "company" if r < 0.45 else "school" if r < 0.85 else "municipality"
        available = list(slot_ids)
        if tight:
            keep = rng.randint(max(1, slots // 2), max(1, slots * 3 // 4))
            available = sorted(rng.sample(slot_ids, keep))
        elif rng.random() < 0.4:
            length = rng.randint(1, max(1, slots // 3))
            start = rng.choice([0, slots - length])
            del available[start:start + length]
        people.append({"id": f"p{i + 1:03d}", "side": side, "available": available,
                       "max_meetings": rng.randint(max(1, slots // 2), slots)})
    companies = [p["id"] for p in people if p["side"] == "company"]
    others = [p["id"] for p in people if p["side"] != "company"]
    seen = set()
    out = []
    while len(out) < requests:
        a, b = rng.choice(companies), rng.choice(others)
        if rng.random() < 0.5:
            a, b = b, a
        pairs = [(a, b)]
        if rng.random() < 0.2:
            pairs.append((b, a))
        for f, t in pairs:
            if (f, t) in seen or len(out) >= requests:
                continue
            seen.add((f, t))
            r = rng.random()
            priority = 3 if r < 0.3 else 2 if r < 0.7 else 1
            out.append({"from": f, "to": t, "priority": priority,
                        "accepted": rng.random() < 0.85})
    return {
        "slots": [{"id": s, "start": f"{13 + i // 4:02d}:{(i % 4) * 15:02d}", "minutes": 15}
                  for i, s in enumerate(slot_ids)],
        "tables": tables,
        "participants": people,
        "requests": out,
        "locked": [],
    }


if __name__ == "__main__":
    p, r, s, t, seed = (int(x) for x in sys.argv[1:6])
    tight = len(sys.argv) > 6 and sys.argv[6] == "tight"
    json.dump(generate(p, r, s, t, seed, tight), sys.stdout, ensure_ascii=False)

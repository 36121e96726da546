#!/usr/bin/env python3
"""The module boundaries of docs/architecture.md, checked on the source tree.

1. No SQL under src/web/: screens call services, stores hold the SQL.
2. No include of another module's private header (the build's list, build/private_headers.txt),
   and no relative include that climbs out of its folder ("../").
3. No module reads or writes another module's tables: a table belongs to the module whose
   migrations create it (src/<module>/migrations/*.sql); SQL in src/<module>/ names only its own.
4. No JSON object written by hand (a literal opening with `{"`) in a file that records audit
   entries: audit details are built with Boost.JSON, so no value can break out of its string.

Usage: check_boundaries.py SOURCE_DIR BUILD_DIR. Prints one line per violation; exit 1 if any.
"""
import pathlib
import re
import sys

source_dir = pathlib.Path(sys.argv[1])
build_dir = pathlib.Path(sys.argv[2])
src = source_dir / "src"
problems = []

SQL_START = re.compile(r'"\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|PRAGMA|REPLACE)\b')
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
TABLE_USE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|REFERENCES)\s+([a-z_][a-z0-9_]*)")
CREATE_TABLE = re.compile(r"CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)", re.I)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(folder):
    return sorted(p for p in folder.rglob("*") if p.suffix in (".cpp", ".h"))


def module_of(path):
    return path.relative_to(src).parts[0]


# 1. SQL in web
for path in sources(src / "web"):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if SQL_START.search(line):
            problems.append(f"{path.relative_to(source_dir)}:{number}: SQL in a web handler (move it into the module's store)")

# 2. Private headers
private = {}
listing = build_dir / "private_headers.txt"
if not listing.exists():
    sys.exit(f"{listing} is missing: configure the build first")
for line in listing.read_text().splitlines():
    if line.strip():
        target, header = line.split()
        private[header] = target
for path in sources(src):
    text = path.read_text(encoding="utf-8")
    for match in INCLUDE.finditer(text):
        included = match.group(1)
        number = text.count("\n", 0, match.start()) + 1
        where = f"{path.relative_to(source_dir)}:{number}"
        if included.startswith("../") or "/../" in included:
            problems.append(f"{where}: relative include {included!r} climbs out of its folder")
            continue
        header = private.get(included)
        if header and pathlib.PurePath(included).parent != path.relative_to(src).parent:
            problems.append(f"{where}: includes {included}, private to {header}")

# 3. Tables
owner = {}
for migration in sorted(src.glob("**/migrations/*.sql")):
    module = module_of(migration)
    for match in CREATE_TABLE.finditer(migration.read_text(encoding="utf-8")):
        owner.setdefault(match.group(1), module)
for path in sources(src):
    module = module_of(path)
    if module in ("db", "cli"):  # the storage layer itself and the migrations' ledger
        continue
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for literal in STRING.findall(line):
            for table in TABLE_USE.findall(literal):
                if table in owner and owner[table] != module:
                    problems.append(f"{path.relative_to(source_dir)}:{number}: {module} uses the table {table} of {owner[table]}"
                                    f" (call a function of {owner[table]} instead)")

# 4. Audit details by hand
HAND_JSON = re.compile(r'R"\(\{\{?"|"\{\{?\\"')
for path in sources(src):
    text = path.read_text(encoding="utf-8")
    if "audit::" not in text or path.relative_to(src).parts[0] == "audit":
        continue
    for number, line in enumerate(text.splitlines(), 1):
        if HAND_JSON.search(line):
            problems.append(f"{path.relative_to(source_dir)}:{number}: JSON written by hand in a file that records audit"
                            " entries (build the detail with boost::json::object)")

for problem in problems:
    print(problem)
if problems:
    print(f"{len(problems)} boundary violations", file=sys.stderr)
    sys.exit(1)
print(f"boundaries kept: {len(owner)} tables, {len(private)} private headers")

#!/usr/bin/env python3
"""Self-test of check_boundaries.py: on a small source tree made in a temporary folder, a clean
tree passes, and each class of violation the checker knows (SQL under src/web/, an include of
another module's private header, a relative include out of the folder, a module using another
module's table, audit detail JSON written by hand) is reported on its own, naming the file and
line, with exit status 1."""
import pathlib
import subprocess
import sys
import tempfile
import unittest

CHECKER = pathlib.Path(__file__).resolve().parent / "check_boundaries.py"

# A tree that keeps every rule: two modules with their own tables and a private store header,
# a screen that calls a service, an audit detail built with Boost.JSON.
CLEAN = {
    "src/orders/migrations/202601010000_orders.sql": "CREATE TABLE orders (id INTEGER PRIMARY KEY);\n",
    "src/orders/store.h": "#pragma once\nint count_orders();\n",
    "src/orders/store.cpp": '#include "orders/store.h"\nconst char* q = "SELECT COUNT(*) FROM orders";\n',
    "src/orders/service.h": "#pragma once\nint orders_total();\n",
    "src/orders/service.cpp": '#include "orders/service.h"\n#include "orders/store.h"\n'
                              "int orders_total() { return count_orders(); }\n",
    "src/people/migrations/202601010001_people.sql": "CREATE TABLE IF NOT EXISTS people (id INTEGER);\n",
    "src/people/store.cpp": 'const char* q = "INSERT INTO people (id) VALUES (?)";\n',
    "src/people/service.cpp": '#include "orders/service.h"\n#include "audit/audit.h"\n'
                              'void f() { boost::json::object d{{"n", 1}}; audit::record(d); }\n',
    "src/web/handlers/orders/list.cpp": '#include "orders/service.h"\n'
                                        'const char* title = "Selected orders";\n',
}
PRIVATE_HEADERS = "kk_orders orders/store.h\n"


class CheckBoundaries(unittest.TestCase):
    def run_checker(self, extra_files=None):
        with tempfile.TemporaryDirectory() as root:
            root = pathlib.Path(root)
            files = dict(CLEAN)
            files.update(extra_files or {})
            for name, text in files.items():
                path = root / "source" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            (root / "build").mkdir()
            (root / "build" / "private_headers.txt").write_text(PRIVATE_HEADERS)
            done = subprocess.run([sys.executable, str(CHECKER), str(root / "source"), str(root / "build")],
                                  capture_output=True, text=True)
            return done.returncode, done.stdout.splitlines()

    def assert_one_violation(self, files, expected_start, expected_text):
        code, lines = self.run_checker(files)
        self.assertEqual(code, 1, lines)
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith(expected_start), lines)
        self.assertIn(expected_text, lines[0])

    def test_clean_tree_passes(self):
        code, lines = self.run_checker()
        self.assertEqual(code, 0, lines)
        self.assertEqual(lines, ["boundaries kept: 2 tables, 1 private headers"])

    def test_sql_in_web(self):
        self.assert_one_violation(
            {"src/web/handlers/orders/list.cpp": '#include "orders/service.h"\n'
                                                 'const char* q = "SELECT 1";\n'},
            "src/web/handlers/orders/list.cpp:2:", "SQL in a web handler")

    def test_private_header_of_another_module(self):
        self.assert_one_violation(
            {"src/people/service.cpp": '#include "orders/store.h"\n'},
            "src/people/service.cpp:1:", "includes orders/store.h, private to kk_orders")

    def test_relative_include_out_of_folder(self):
        self.assert_one_violation(
            {"src/people/service.cpp": '#include "../orders/service.h"\n'},
            "src/people/service.cpp:1:", "climbs out of its folder")

    def test_table_of_another_module(self):
        self.assert_one_violation(
            {"src/people/store.cpp": 'const char* q = "INSERT INTO people (id) VALUES (?)";\n'
                                     'const char* r = "SELECT p.id FROM people p JOIN orders o ON o.id = p.id";\n'},
            "src/people/store.cpp:2:", "people uses the table orders of orders")

    def test_audit_json_by_hand(self):
        self.assert_one_violation(
            {"src/people/service.cpp": '#include "audit/audit.h"\n'
                                       'void f(int n) { audit::record(fmt::format(R"({{"n":{}}})", n)); }\n'},
            "src/people/service.cpp:2:", "JSON written by hand")
        self.assert_one_violation(
            {"src/people/service.cpp": '#include "audit/audit.h"\n'
                                       'void f() { audit::record("{\\"n\\":1}"); }\n'},
            "src/people/service.cpp:2:", "JSON written by hand")


if __name__ == "__main__":
    unittest.main(verbosity=2)

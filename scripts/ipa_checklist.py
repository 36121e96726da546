#!/usr/bin/env python3
"""The IPA checklist for submission (issue 21, R8.2; 別記 17)): the items of
src/compliance/data/ipa_checklist.tsv with their status and the automated tests that prove
them. A test proves an item when its name carries "[IPA-<ID>]" (node:test suites) or a comment
"// [IPA-<ID>]" stands on the line before its TEST/TEST_F (GoogleTest). Writes an XLSX file
(one sheet, header row frozen) built with the standard library; the build runs it as the
target `ipa_checklist` (build/ipa-checklist.xlsx).

Usage: ipa_checklist.py SOURCE_DIR OUT.xlsx [--list]   (--list: print item -> tests, no file)
"""
import pathlib
import re
import sys
import zipfile
from xml.sax.saxutils import escape

source = pathlib.Path(sys.argv[1])
out = sys.argv[2]
TAG = re.compile(r"\[IPA-([0-9]+-\([ivx]+\)(?:-[abc])?)\]")
NODE_TEST = re.compile(r"""\btest\(\s*(["'`])(.*?)\1""")
GTEST = re.compile(r"^\s*TEST(?:_F)?\(\s*(\w+)\s*,\s*(\w+)\s*\)")

items = []
for line in (source / "src/compliance/data/ipa_checklist.tsv").read_text(encoding="utf-8").splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    items.append(line.split("\t"))
known = {item[0] for item in items}

proofs = {}
problems = []
for path in sorted((source / "tests").rglob("*")):
    if path.suffix not in (".mjs", ".cpp") or "schemas" in path.parts:
        continue
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    relative = str(path.relative_to(source))
    for number, line in enumerate(lines):
        if path.suffix == ".mjs":
            test = NODE_TEST.search(line)
            if test:
                for tag in TAG.findall(test.group(2)):
                    proofs.setdefault(tag, []).append(f"{relative}: {TAG.sub('', test.group(2)).strip()}")
        else:
            gtest = GTEST.match(line)
            if gtest and number > 0:
                for tag in TAG.findall(lines[number - 1]):
                    proofs.setdefault(tag, []).append(f"{relative}: {gtest.group(1)}.{gtest.group(2)}")
for tag in proofs:
    if tag not in known:
        problems.append(f"unknown IPA item in a test tag: {tag}")
if problems:
    sys.exit("\n".join(problems))

if "--list" in sys.argv:
    for item in items:
        print(item[0], item[4], len(proofs.get(item[0], [])), *proofs.get(item[0], []), sep="\t")
    sys.exit(0)

header = ["ID", "分類", "種別", "実施項目", "対応状況", "対応内容", "証明する自動テスト"]
rows = [header] + [item[:6] + ["\n".join(proofs.get(item[0], []))] for item in items]


def column(i):
    return chr(ord("A") + i)


def cell(ref, text, style):
    return f'<c r="{ref}" t="inlineStr" s="{style}"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


sheet_rows = []
for r, row in enumerate(rows, 1):
    cells = "".join(cell(f"{column(c)}{r}", text, 1 if r == 1 else 2) for c, text in enumerate(row))
    sheet_rows.append(f'<row r="{r}">{cells}</row>')
widths = [10, 22, 8, 60, 10, 50, 60]
cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths))
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
         f'<cols>{cols}</cols><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>')
styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<fonts count="2"><font><sz val="11"/><name val="IPAexGothic"/></font><font><b/><sz val="11"/><name val="IPAexGothic"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
          '<cellXfs count="3"><xf/><xf fontId="1" applyFont="1"/><xf applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs>'
          '</styleSheet>')
workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="チェックリスト" sheetId="1" r:id="rId1"/></sheets></workbook>')
content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                 '</Types>')
root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>')
workbook_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                 '</Relationships>')
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels), ("xl/workbook.xml", workbook),
                       ("xl/_rels/workbook.xml.rels", workbook_rels), ("xl/styles.xml", styles), ("xl/worksheets/sheet1.xml", sheet)]:
        info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
        z.writestr(info, text)
proved = sum(1 for item in items if proofs.get(item[0]))
print(f"{out}: {len(items)} items, {proved} proved by {sum(len(v) for v in proofs.values())} tests")

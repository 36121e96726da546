#!/usr/bin/env python3
"""Generates the benchmark corpus for bench/inspect.sh: XLSX, DOCX, PPTX, PDF, CSV, ODT, ODS and ODP files
with realistic amounts of text and, in some of them, the hidden content the inspector looks
for (properties, hidden rows and sheets, comments, tracked changes, notes, JavaScript...).

usage: make_corpus.py OUT_DIR [FILES_PER_TYPE]
"""
import os
import random
import sys
import zipfile

OUT = sys.argv[1]
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 300
rng = random.Random(42)

WORDS = ["学び", "実証", "学校", "企業", "探究", "授業", "成果", "課題", "地域", "連携", "評価", "報告",
         "生徒", "教員", "教材", "STEAM", "データ", "活用", "支援", "計画"]

def sentence(n=12):
    return "".join(rng.choice(WORDS) for _ in range(n)) + "。"

def pii():
    return rng.choice(["連絡先 taro%d@example.jp" % rng.randint(1, 999),
                       "TEL 03-%04d-%04d" % (rng.randint(1000, 9999), rng.randint(0, 9999)),
                       "〒100-8901 東京都千代田区霞が関1-3-1", "担当 090-1234-5678"])

CT_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
           '<Default Extension="xml" ContentType="application/xml"/>'
           '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
           '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>')
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

def rels(items):
    body = "".join('<Relationship Id="%s" Type="%s" Target="%s"/>' % item for item in items)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships">' + body + '</Relationships>')

def props(z, dirty):
    creator = "<dc:creator>山田 太郎</dc:creator><cp:lastModifiedBy>佐藤 花子</cp:lastModifiedBy>" if dirty else ""
    z.writestr("docProps/core.xml",
               '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
               'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
               '<dc:title>実証報告</dc:title>' + creator + '</cp:coreProperties>')
    company = "<Company>株式会社サンプル</Company>" if dirty else ""
    z.writestr("docProps/app.xml", '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
               '<Application>Microsoft Office</Application>' + company + '</Properties>')

ROOT_RELS = [("rId1", R + "officeDocument", None), ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
             ("rId3", R + "extended-properties", "docProps/app.xml")]

def root_rels(main):
    return rels([(i, t, target or main) for i, t, target in ROOT_RELS])

def xlsx(path, i):
    dirty = i % 2 == 0
    sheets = 1 + i % 3
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        ct = CT_HEAD + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        ct += '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        strings = [sentence(4) for _ in range(300)]
        if dirty:
            strings[7] = pii()
        sheet_entries, wb_rels = "", [("rIdS", R + "sharedStrings", "sharedStrings.xml")]
        for s in range(sheets):
            ct += '<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (s + 1)
            state = ' state="hidden"' if dirty and s == 1 else ""
            sheet_entries += '<sheet name="表%d" sheetId="%d"%s r:id="rId%d"/>' % (s + 1, s + 1, state, s + 1)
            wb_rels.append(("rId%d" % (s + 1), R + "worksheet", "worksheets/sheet%d.xml" % (s + 1)))
            rows = []
            for r in range(1, 201):
                hidden = ' hidden="1"' if dirty and r % 50 == 0 else ""
                cells = "".join('<c r="%s%d" t="s"><v>%d</v></c>' % (chr(65 + c), r, rng.randrange(300)) if c % 2 == 0 else
                                '<c r="%s%d"><v>%d</v></c>' % (chr(65 + c), r, rng.randint(0, 10**7)) for c in range(8))
                rows.append('<row r="%d"%s>%s</row>' % (r, hidden, cells))
            cols = '<cols><col min="3" max="3" width="0" customWidth="1"/></cols>' if dirty else ""
            z.writestr("xl/worksheets/sheet%d.xml" % (s + 1),
                       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + cols +
                       '<sheetData>' + "".join(rows) + '</sheetData></worksheet>')
        z.writestr("[Content_Types].xml", ct + "</Types>")
        z.writestr("_rels/.rels", root_rels("xl/workbook.xml"))
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' + sheet_entries + '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", rels(wb_rels))
        z.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
                   "".join("<si><t>%s</t></si>" % s for s in strings) + "</sst>")
        props(z, dirty)

def docx(path, i):
    dirty = i % 2 == 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT_HEAD + '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", root_rels("word/document.xml"))
        paragraphs = []
        for p in range(400):
            text = sentence(rng.randint(8, 30))
            if dirty and p == 5:
                paragraphs.append('<w:p><w:ins w:id="1" w:author="佐藤"><w:r><w:t>%s</w:t></w:r></w:ins></w:p>' % text)
            elif dirty and p == 9:
                paragraphs.append('<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>%s</w:t></w:r></w:p>' % pii())
            else:
                paragraphs.append('<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % text)
        z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
                   "".join(paragraphs) + '</w:body></w:document>')
        props(z, dirty)

def pptx(path, i):
    dirty = i % 2 == 0
    slides = 8 + i % 8
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        ct = CT_HEAD + '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
        ids, prels = "", []
        ns = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
              'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
        for s in range(1, slides + 1):
            ct += '<Override PartName="/ppt/slides/slide%d.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>' % s
            ids += '<p:sldId id="%d" r:id="rId%d"/>' % (255 + s, s)
            prels.append(("rId%d" % s, R + "slide", "slides/slide%d.xml" % s))
            show = ' show="0"' if dirty and s == 3 else ""
            body = "".join('<a:p><a:r><a:t>%s</a:t></a:r></a:p>' % sentence(10) for _ in range(12))
            z.writestr("ppt/slides/slide%d.xml" % s, '<p:sld %s%s><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>%s</p:txBody></p:sp></p:spTree></p:cSld></p:sld>' % (ns, show, body))
            if dirty and s == 2:
                ct += '<Override PartName="/ppt/notesSlides/notesSlide2.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"/>'
                z.writestr("ppt/slides/_rels/slide2.xml.rels", rels([("rId9", R + "notesSlide", "../notesSlides/notesSlide2.xml")]))
                z.writestr("ppt/notesSlides/notesSlide2.xml", '<p:notes %s><p:cSld><p:spTree><p:sp><p:nvSpPr><p:nvPr><p:ph type="body"/></p:nvPr></p:nvSpPr>'
                           '<p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>' % (ns, pii()))
        z.writestr("[Content_Types].xml", ct + "</Types>")
        z.writestr("_rels/.rels", root_rels("ppt/presentation.xml"))
        z.writestr("ppt/presentation.xml", '<p:presentation %s><p:sldIdLst>%s</p:sldIdLst></p:presentation>' % (ns, ids))
        z.writestr("ppt/_rels/presentation.xml.rels", rels(prels))
        props(z, dirty)

def pdf(path, i):
    dirty = i % 2 == 0
    pages = 3 + i % 8
    objects = {}
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R" + (b" /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>" if dirty and i % 4 == 0 else b"") + b" >>"
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    kids = []
    n = 4
    for p in range(pages):
        lines = ["Kakehashi benchmark page %d line %d %s" % (p + 1, l, "".join(rng.choice("abcdefghij ") for _ in range(60))) for l in range(40)]
        if dirty and p == 0:
            lines[3] = "Contact: hanako%d@example.jp TEL 03-1234-5678" % i
        stream = "BT /F1 9 Tf 40 760 Td 11 TL " + " ".join("(%s) '" % line for line in lines) + " ET"
        data = stream.encode()
        objects[n] = b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        annots = b" /Annots [ << /Type /Annot /Subtype /Text /Rect [0 0 20 20] /Contents (check this) >> ]" if dirty and p == 1 else b""
        objects[n + 1] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R%s >>" % (n, annots)
        kids.append(b"%d 0 R" % (n + 1))
        n += 2
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    info = n
    objects[info] = b"<< /Producer (bench) /Author (Taro Yamada) >>" if dirty else b"<< /Producer (bench) >>"
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (max(objects) + 1)
    for number in range(1, max(objects) + 1):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (max(objects) + 1, info, xref)
    with open(path, "wb") as f:
        f.write(out)

def csv(path, i):
    with open(path, "w", encoding="utf-8") as f:
        f.write("番号,学校,内容,金額\n")
        for r in range(500):
            f.write("%d,学校%d,%s,%d\n" % (r, rng.randint(1, 999), pii() if i % 2 == 0 and r == 10 else sentence(6), rng.randint(0, 10**6)))

ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" office:version="1.3"')

def odf(path, kind, body, styles, dirty):
    """An OpenDocument package as LibreOffice writes it (issue 23 item 3)."""
    mime = "application/vnd.oasis.opendocument." + kind
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mime, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", '<manifest:manifest %s><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="%s"/></manifest:manifest>' % (ODF_NS, mime))
        creator = "<meta:initial-creator>山田 太郎</meta:initial-creator><dc:creator>佐藤 花子</dc:creator>" if dirty else ""
        z.writestr("meta.xml", '<office:document-meta %s><office:meta><meta:generator>LibreOffice/7.4</meta:generator>%s'
                   '</office:meta></office:document-meta>' % (ODF_NS, creator))
        z.writestr("styles.xml", '<office:document-styles %s><office:styles/></office:document-styles>' % ODF_NS)
        z.writestr("content.xml", '<office:document-content %s><office:automatic-styles>%s</office:automatic-styles>'
                   '<office:body>%s</office:body></office:document-content>' % (ODF_NS, styles, body))

def odt(path, i):
    dirty = i % 2 == 0
    paragraphs = []
    for p in range(400):
        text = sentence(rng.randint(8, 30))
        if dirty and p == 9:
            paragraphs.append('<text:p><text:span text:style-name="T1">%s</text:span></text:p>' % pii())
        elif dirty and p == 5:
            paragraphs.append('<text:p>%s<office:annotation><dc:creator>佐藤</dc:creator><text:p>要確認</text:p>'
                              '</office:annotation></text:p>' % text)
        else:
            paragraphs.append('<text:p>%s</text:p>' % text)
    odf(path, "text", "<office:text>" + "".join(paragraphs) + "</office:text>",
        '<style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style>', dirty)

def ods(path, i):
    dirty = i % 2 == 0
    tables = []
    for t in range(1 + i % 3):
        rows = []
        for r in range(300):
            hidden = ' table:visibility="collapse"' if dirty and r in (20, 21) else ""
            cells = "".join('<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' %
                            (pii() if dirty and r == 7 and c == 2 else sentence(3)) for c in range(4))
            cells += '<table:table-cell office:value-type="float" office:value="%d"><text:p>%d</text:p></table:table-cell>' % (r, r)
            rows.append("<table:table-row%s>%s</table:table-row>" % (hidden, cells))
        style = ' table:style-name="ta2"' if dirty and t == 1 else ""
        tables.append('<table:table table:name="表%d"%s><table:table-column table:number-columns-repeated="5"/>%s</table:table>'
                      % (t + 1, style, "".join(rows)))
    odf(path, "spreadsheet", "<office:spreadsheet>" + "".join(tables) + "</office:spreadsheet>",
        '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>', dirty)

def odp(path, i):
    dirty = i % 2 == 0
    pages = []
    for n in range(8 + i % 8):
        style = ' draw:style-name="dp2"' if dirty and n == 3 else ""
        notes = ('<presentation:notes><draw:frame presentation:class="notes"><draw:text-box><text:p>%s</text:p>'
                 '</draw:text-box></draw:frame></presentation:notes>' % pii()) if dirty and n == 1 else ""
        texts = "".join("<text:p>%s</text:p>" % sentence(10) for _ in range(6))
        pages.append('<draw:page draw:name="p%d"%s><draw:frame><draw:text-box>%s</draw:text-box></draw:frame>%s</draw:page>'
                     % (n + 1, style, texts, notes))
    odf(path, "presentation", "<office:presentation>" + "".join(pages) + "</office:presentation>",
        '<style:style style:name="dp2" style:family="drawing-page"><style:drawing-page-properties '
        'presentation:visibility="hidden"/></style:style>', dirty)

for kind, make in [("xlsx", xlsx), ("docx", docx), ("pptx", pptx), ("pdf", pdf), ("csv", csv),
                   ("odt", odt), ("ods", ods), ("odp", odp)]:
    folder = os.path.join(OUT, kind)
    os.makedirs(folder, exist_ok=True)
    for i in range(COUNT if kind != "csv" else COUNT // 3):
        make(os.path.join(folder, "%s_%04d.%s" % (kind, i, kind)), i)

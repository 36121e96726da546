// The report package of the demo programme as the ministry receives it (issue 25, "Done when"):
// `kakehashi package build` writes public/ and non-public/; in public/ neither our inspector nor
// exiftool finds an author, hidden content or any demo person's name or e-mail; every public
// figure file is named after a caption printed in the PDF; 様式1 fits in 3 pages (LibreOffice).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kakehashi } from "./server.mjs";

let dir, out, people;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "kakehashi-package-public-"));
  const db = join(dir, "k.db");
  const demo = kakehashi(["--db", db, "demo"]);
  assert.equal(demo.status, 0, demo.stderr);
  out = join(dir, "package");
  const built = kakehashi(["--db", db, "package", "build", "--out", out]);
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stdout, /報告書パッケージを作成しました: .+（公開 PDF 1 件・\d+ ページ、様式1 [1-3] ページ）/);
  // Everyone the demo programme knows by name or address: accounts, registrants, roster, contacts.
  const rows = execFileSync("sqlite3", ["-separator", "\t", db,
    "SELECT name, email FROM users UNION ALL SELECT name, email FROM event_registrations " +
    "UNION ALL SELECT name, '' FROM roster_people UNION ALL SELECT name, email FROM operator_contacts"], { encoding: "utf8" });
  people = rows.trim().split("\n").flatMap((line) => line.split("\t")).filter((v) => v.length >= 4);
  assert.ok(people.length > 400, `the demo knows ${people.length} names and addresses`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const publicDir = () => join(out, "public");

test("public/ holds one report PDF, the figure data folder and the consented final reports (PDFs), nothing else", () => {
  const entries = readdirSync(publicDir()).sort();
  assert.deepEqual(entries.filter((e) => e !== "成果報告書"), ["図表データ", "未来の教室 実証事業 成果報告書.pdf"]);
  if (entries.includes("成果報告書")) {
    assert.ok(readdirSync(join(publicDir(), "成果報告書")).every((f) => f.endsWith(".pdf")));
  }
  assert.ok(readdirSync(join(publicDir(), "図表データ")).length >= 10);
});

test("exiftool finds no author, company or person in any public file", () => {
  const report = JSON.parse(execFileSync("exiftool", ["-a", "-G1", "-json", "-r", publicDir()], { encoding: "utf8", maxBuffer: 64 << 20 }));
  assert.ok(report.length >= 11, "exiftool read every file");
  for (const file of report) {
    for (const [key, value] of Object.entries(file)) {
      if (/(Author|Creator|LastModifiedBy|Company|Manager)$/.test(key) && !/CreatorTool|Producer/.test(key)) {
        assert.equal(String(value), "", `${file.SourceFile}: ${key}`);
      }
      for (const person of people) assert.ok(!String(value).includes(person), `${file.SourceFile}: ${key} names ${person}`);
    }
  }
});

test("our inspector finds no error in public/ (properties, hidden rows, embedded files, personal data)", () => {
  const run = kakehashi(["inspect", "--format", "json", publicDir()]);
  const report = JSON.parse(run.stdout);
  assert.equal(report.summary.error, 0, JSON.stringify(report.files?.flatMap((f) => f.findings ?? []).slice(0, 5)));
  assert.equal(run.status, 0, run.stderr);
});

test("every public figure file is named after a caption printed in the PDF", () => {
  const text = execFileSync("pdftotext", ["-layout", join(publicDir(), "未来の教室 実証事業 成果報告書.pdf"), "-"], { encoding: "utf8" })
    .replace(/\s+/g, "");
  const names = readdirSync(join(publicDir(), "図表データ"));
  for (const name of names) {
    const m = /^([図表]\d+-\d+)_(.+)\.(csv|xlsx)$/.exec(name);
    assert.ok(m, name);
    assert.ok(text.includes(m[1] + m[2].replace(/\s+/g, "")), `${name}: the PDF prints「${m[1]} ${m[2]}」`);
  }
  for (const ext of ["csv", "xlsx"]) {
    assert.equal(names.filter((n) => n.endsWith(`.${ext}`)).length * 2, names.length, `every figure as CSV and XLSX (${ext})`);
  }
});

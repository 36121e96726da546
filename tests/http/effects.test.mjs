// Effect verification over HTTP (issue 20) on the demo programme: access per route and role
// (secretariat, METI, bureau in and out of reach, operator own and other, anonymous), the survey
// flow from upload to results, the API's results equal to `kakehashi survey analyze` on the same
// answers, the three CSV encodings giving the same result, bad input saving nothing, personal
// data kept from METI and bureaus, chart data downloads and the roll-up with the report chapter.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Browser, kakehashi } from "./server.mjs";
import { startProgramme, PEOPLE } from "./milestones_fixture.mjs";

let server, passwords, sql, operatorOf;
const as = {};

const HEADER = "タイムスタンプ,出席番号,Q1 興味がある,Q2 調べられる,Q3 発表は苦手だ,感想";
const PRE_ROWS = [
  "2026/09/01 9:00,S01,あまりそう思わない,ややそう思う,とてもそう思う,",
  "2026/09/01 9:01,S02,全くそう思わない,あまりそう思わない,ややそう思う,",
  "2026/09/01 9:02,S03,ややそう思う,ややそう思う,あまりそう思わない,",
  "2026/09/01 9:03,S04,あまりそう思わない,全くそう思わない,とてもそう思う,",
  "2026/09/01 9:04,S05,あまりそう思わない,あまりそう思わない,ややそう思う,",
  "2026/09/01 9:05,S06,全くそう思わない,ややそう思う,ややそう思う,",
  "2026/09/01 9:06,S07,ややそう思う,あまりそう思わない,とてもそう思う,",
  "2026/09/01 9:07,S08,あまりそう思わない,あまりそう思わない,ややそう思う,",
];
const POST_ROWS = [
  "2026/11/20 14:00,S01,とてもそう思う,ややそう思う,ややそう思う,楽しかった",
  "2026/11/20 14:01,S02,ややそう思う,あまりそう思わない,あまりそう思わない,",
  "2026/11/20 14:02,S03,とてもそう思う,とてもそう思う,あまりそう思わない,企業の話が面白かった",
  "2026/11/20 14:03,S04,ややそう思う,あまりそう思わない,ややそう思う,",
  "2026/11/20 14:04,S05,ややそう思う,ややそう思う,あまりそう思わない,",
  "2026/11/20 14:05,S06,あまりそう思わない,ややそう思う,ややそう思う,",
  "2026/11/20 14:06,S07,とてもそう思う,ややそう思う,ややそう思う,",
  "2026/11/20 14:07,S09,ややそう思う,ややそう思う,ややそう思う,",
];
const PRE = [HEADER, ...PRE_ROWS].join("\r\n") + "\r\n";
const POST = [HEADER, ...POST_ROWS].join("\r\n") + "\r\n";
const SCALE = ["全くそう思わない", "あまりそう思わない", "ややそう思う", "とてもそう思う"];

function cp932(text) {
  const run = spawnSync("python3", ["-c", "import sys; sys.stdout.buffer.write(sys.stdin.read().encode('cp932'))"], {
    input: text,
  });
  assert.equal(run.status, 0, String(run.stderr));
  return run.stdout;
}

before(async () => {
  ({ server, passwords, sql, operatorOf } = await startProgramme());
  for (const [key, email] of Object.entries(PEOPLE)) {
    as[key] = new Browser(server.base);
    const login = await as[key].login(email, passwords[email]);
    assert.equal(login.status, 303, `${key} signs in`);
  }
  as.anonymous = new Browser(server.base);
});
after(async () => {
  await server?.stop();
});

async function csrf(browser, path) {
  const page = await browser.request(path);
  assert.equal(page.status, 200, `${path}: ${page.text_.slice(0, 300)}`);
  return browser.csrfFrom(page.text_);
}

async function uploadFiles(browser, surveyId, pre, post, names = ["pre.csv", "post.csv"]) {
  const token = await csrf(browser, `/effects/surveys/${surveyId}`);
  const form = new FormData();
  form.append("csrf_token", token);
  form.append("pre", new Blob([pre], { type: "text/csv" }), names[0]);
  form.append("post", new Blob([post], { type: "text/csv" }), names[1]);
  return browser.request(`/effects/surveys/${surveyId}/upload`, { method: "POST", body: form });
}

async function newSurvey(browser, operatorId, title) {
  const token = await csrf(browser, `/effects/operators/${operatorId}/surveys/new`);
  const created = await browser.request(`/effects/operators/${operatorId}/surveys`, {
    method: "POST",
    form: { csrf_token: token, title, block_id: "kanto", project_id: "" },
  });
  assert.equal(created.status, 303, created.text_.slice(0, 500));
  return Number(/\/effects\/surveys\/(\d+)/.exec(created.headers.get("location"))[1]);
}

// Uploads, maps (Q3 reversed) and runs; returns the survey id.
async function analysedSurvey(browser, operatorId, title, pre, post) {
  const id = await newSurvey(browser, operatorId, title);
  const uploaded = await uploadFiles(browser, id, pre, post);
  assert.equal(uploaded.status, 303, uploaded.text_.slice(0, 800));
  assert.equal(uploaded.headers.get("location"), `/effects/surveys/${id}/mapping`);
  const mapping = await browser.request(`/effects/surveys/${id}/mapping`);
  assert.equal(mapping.status, 200);
  assert.match(mapping.text_, /<option value="出席番号" selected>/, "the key column is guessed");
  const token = browser.csrfFrom(mapping.text_);
  const columns = [...mapping.text_.matchAll(/name="item_(\d+)"[^>]*aria-label="([^"]+) を分析する"/g)].map((m) => [m[1], m[2]]);
  const form = new URLSearchParams({ csrf_token: token, respondent: "出席番号", scale: SCALE.join("\n") });
  for (const [index, name] of columns) {
    if (name.startsWith("Q")) form.append(`item_${index}`, "1");
    if (name === "Q1 興味がある") form.append(`label_${index}`, "興味");
    if (name === "Q3 発表は苦手だ") form.append(`reversed_${index}`, "1");
    if (name === "感想") form.append(`comment_${index}`, "1");
  }
  const saved = await browser.request(`/effects/surveys/${id}/mapping`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  assert.equal(saved.status, 303, saved.text_.slice(0, 1500));
  const preview = await browser.request(`/effects/surveys/${id}/preview`);
  assert.equal(preview.status, 200);
  assert.match(preview.text_, /<dt>事前と事後がそろった回答者<\/dt><dd>7 人<\/dd>/);
  assert.match(preview.text_, /S08/);
  const run = await browser.request(`/effects/surveys/${id}/run`, { method: "POST", form: { csrf_token: browser.csrfFrom(preview.text_) } });
  assert.equal(run.status, 303, run.text_.slice(0, 800));
  return id;
}

async function json(browser, path) {
  const response = await browser.request(path);
  assert.equal(response.status, 200, `${path}: ${response.text_.slice(0, 300)}`);
  return JSON.parse(response.text_);
}

test("each route answers per role and reach", async () => {
  const kanto = operatorOf("kanto");
  const cases = [
    ["/effects", { secretariat: 200, meti: 200, bureau: 200, operator: 200, reviewer: 403, anonymous: 303 }],
    [`/effects/operators/${kanto}`, { secretariat: 200, meti: 200, bureau: 200, bureau_other: 404, operator: 200, operator_other: 404 }],
    [`/effects/operators/${kanto}/kpis/new`, { secretariat: 200, meti: 403, bureau: 403, operator: 200, operator_other: 404 }],
    [`/effects/operators/${kanto}/surveys/new`, { secretariat: 200, meti: 403, operator: 200, operator_other: 404 }],
    ["/effects/rollup", { secretariat: 200, meti: 200, bureau: 200, operator: 200, reviewer: 403 }],
    ["/api/v1/kpis", { secretariat: 200, meti: 200, reviewer: 403, anonymous: 401 }],
  ];
  for (const [path, expected] of cases) {
    for (const [who, status] of Object.entries(expected)) {
      const response = await as[who].request(path);
      assert.equal(response.status, status, `${who} ${path}`);
    }
  }
  const kpiId = Number(sql(`SELECT MIN(id) FROM effect_kpis WHERE operator_id = ${kanto}`));
  assert.equal((await as.bureau.request(`/effects/kpis/${kpiId}`)).status, 200);
  assert.equal((await as.bureau_other.request(`/effects/kpis/${kpiId}`)).status, 404);
  // A bureau may not record actuals; the gate answers before the object.
  const refused = await as.bureau.request(`/effects/kpis/${kpiId}/actuals`, {
    method: "POST",
    form: { csrf_token: as.bureau.csrfFrom((await as.bureau.request("/effects")).text_), period: "2026-12", value: "3", source: "照会" },
  });
  assert.equal(refused.status, 403);
  // The API lists what each may see: METI every operator's KPIs, an operator only its own.
  const all = await json(as.meti, "/api/v1/kpis?per_page=200");
  assert.equal(all.total, 60);
  const mine = await json(as.operator, "/api/v1/kpis?per_page=200");
  assert.equal(mine.total, 6);
  assert.ok(mine.items.every((k) => k.operator_id === kanto));
  const schools = mine.items.find((k) => k.shared === "schools");
  assert.equal(schools.name, "参加学校数");
  assert.equal(schools.actuals.length, 4);
  assert.equal(schools.current, schools.actuals.reduce((sum, a) => sum + a.value, 0));
  const hokkaido = await json(as.bureau_other, "/api/v1/surveys");
  assert.ok(hokkaido.items.every((s) => s.block === "hokkaido"), JSON.stringify(hokkaido.items));
});

test("an operator records an actual and the KPI's progress moves; bad input is refused at the field", async () => {
  const kanto = operatorOf("kanto");
  const token = await csrf(as.operator, `/effects/operators/${kanto}/kpis/new`);
  const refused = await as.operator.request(`/effects/operators/${kanto}/kpis`, {
    method: "POST",
    form: { csrf_token: token, shared_key: "", name: "", unit: "件", kind: "industry", block_id: "kanto", baseline: "0", target: "" },
  });
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /指標名を入力してください/);
  assert.match(refused.text_, /目標値を数値で入力してください/);
  assert.match(refused.text_, /value="件"/, "what was typed is kept");
  const created = await as.operator.request(`/effects/operators/${kanto}/kpis`, {
    method: "POST",
    form: { csrf_token: token, shared_key: "", name: "地元企業へのインターン参加者", unit: "人", kind: "industry", block_id: "kanto", baseline: "0", target: "20", cumulative: "1" },
  });
  assert.equal(created.status, 303, created.text_.slice(0, 500));
  const kpi = created.headers.get("location");
  const recorded = await as.operator.request(`${kpi}/actuals`, {
    method: "POST",
    form: { csrf_token: token, period: "2026-11", value: "５", source: "受け入れ企業からの報告", evidence: "" },
  });
  assert.equal(recorded.status, 303);
  const page = await as.operator.request(kpi);
  assert.match(page.text_, /2026年11月/);
  assert.match(page.text_, /<dt>達成率<\/dt><dd>25\.0%<\/dd>/);
});

test("an operator corrects a KPI's definition (its actuals stay) and deletes a KPI and a survey after a confirmation; others are refused", async () => {
  const kanto = operatorOf("kanto");
  const token = await csrf(as.operator, `/effects/operators/${kanto}/kpis/new`);
  const created = await as.operator.request(`/effects/operators/${kanto}/kpis`, {
    method: "POST",
    form: { csrf_token: token, shared_key: "", name: "企業見学の参加者", unit: "人", kind: "industry", block_id: "kanto", baseline: "0", target: "40", cumulative: "1" },
  });
  assert.equal(created.status, 303);
  const kpi = created.headers.get("location");
  const id = Number(/\/effects\/kpis\/(\d+)/.exec(kpi)[1]);
  assert.equal((await as.operator.request(`${kpi}/actuals`, { method: "POST", form: { csrf_token: token, period: "2026-11", value: "8", source: "受付名簿" } })).status, 303);

  // Who may open the edit form: the operator and the secretariat; METI and the bureau see the KPI but may not change it; another operator does not see it.
  for (const [who, status] of Object.entries({ operator: 200, secretariat: 200, meti: 403, bureau: 403, operator_other: 404, bureau_other: 403, anonymous: 303 })) {
    assert.equal((await as[who].request(`${kpi}/edit`)).status, status, `${who} edit`);
    assert.equal((await as[who].request(`${kpi}/delete`)).status, status, `${who} delete confirmation`);
  }
  const form = await as.operator.request(`${kpi}/edit`);
  assert.match(form.text_, /<h1 class="page-title">KPI を編集<\/h1>/);
  assert.match(form.text_, /value="企業見学の参加者"/);
  assert.match(form.text_, /記録済みの実績 1 件はそのまま残ります/);
  const bad = await as.operator.request(`${kpi}/edit`, {
    method: "POST",
    form: { csrf_token: token, shared_key: "", name: "企業見学・職場体験の参加者", unit: "人", kind: "industry", block_id: "kanto", baseline: "0", target: "十" },
  });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /目標値を数値で入力してください/);
  assert.match(bad.text_, /value="企業見学・職場体験の参加者"/, "what was typed is kept");
  const other = await as.operator_other.request(`${kpi}/edit`, {
    method: "POST",
    form: { csrf_token: as.operator_other.csrfFrom((await as.operator_other.request("/effects")).text_), name: "乗っ取り", unit: "人", kind: "industry", block_id: "kanto", target: "1" },
  });
  assert.equal(other.status, 404);
  const saved = await as.operator.request(`${kpi}/edit`, {
    method: "POST",
    form: { csrf_token: token, shared_key: "", name: "企業見学・職場体験の参加者", unit: "人", kind: "industry", block_id: "kanto", baseline: "0", target: "32", cumulative: "1" },
  });
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.get("location"), kpi);
  const page = await as.operator.request(kpi);
  assert.match(page.text_, /KPI の定義を変更しました/);
  assert.match(page.text_, /企業見学・職場体験の参加者/);
  assert.match(page.text_, /<dt>達成率<\/dt><dd>25\.0%<\/dd>/, "8 of 32: the actual stayed");
  assert.equal(sql(`SELECT detail FROM audit_log WHERE action = 'effects.kpi_update' AND object = 'effect_kpi:${id}'`),
    '{"name":{"before":"企業見学の参加者","after":"企業見学・職場体験の参加者"},"target":{"before":4E1,"after":3.2E1}}');

  const confirm = await as.operator.request(`${kpi}/delete`);
  assert.match(confirm.text_, /KPI「企業見学・職場体験の参加者」を削除しますか/);
  assert.match(confirm.text_, /記録済みの実績 1 件も削除します。/);
  const deleted = await as.operator.request(`${kpi}/delete`, { method: "POST", form: { csrf_token: as.operator.csrfFrom(confirm.text_) } });
  assert.equal(deleted.status, 303);
  assert.equal((await as.operator.request(kpi)).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM effect_kpi_actuals WHERE kpi_id = ${id}`), "0");

  const survey = await analysedSurvey(as.operator, kanto, "削除する振り返り調査", PRE, POST);
  for (const [who, status] of Object.entries({ secretariat: 200, meti: 403, bureau: 403, operator_other: 404 })) {
    assert.equal((await as[who].request(`/effects/surveys/${survey}/delete`)).status, status, `${who} survey delete confirmation`);
  }
  const ask = await as.operator.request(`/effects/surveys/${survey}/delete`);
  assert.match(ask.text_, /アンケート「削除する振り返り調査」を削除しますか/);
  assert.match(ask.text_, /アップロードした回答ファイル 2 件（回答者の個人情報を含む）を削除します。/);
  assert.match(ask.text_, /分析結果（7 組）も削除し/);
  const gone = await as.operator.request(`/effects/surveys/${survey}/delete`, { method: "POST", form: { csrf_token: as.operator.csrfFrom(ask.text_) } });
  assert.equal(gone.status, 303);
  assert.equal(gone.headers.get("location"), `/effects/operators/${kanto}`);
  assert.equal((await as.operator.request(`/effects/surveys/${survey}`)).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM effect_survey_files WHERE survey_id = ${survey}`), "0");
  assert.equal(sql(`SELECT detail FROM audit_log WHERE action = 'effects.survey_delete' AND object = 'effect_survey:${survey}'`),
    `{"operator_id":${kanto},"files":2,"analysed":true}`);
});

test("the API's results are the CLI's on the same answers, in every encoding; bad input saves nothing", async () => {
  const kanto = operatorOf("kanto");
  const title = "探究学習 意識調査（HTTP）";
  const id = await analysedSurvey(as.operator, kanto, title, PRE, POST);
  const api = await json(as.operator, `/api/v1/surveys/${id}/results`);
  // The same answers as one file (pre rows then post rows, a wave column) and the configuration
  // written by hand, through the CLI.
  const combined =
    [HEADER + ",回答時期", ...PRE_ROWS.map((r) => r + ",事前"), ...POST_ROWS.map((r) => r + ",事後")].join("\r\n") + "\r\n";
  const scale = Object.fromEntries(SCALE.map((label, i) => [label, i + 1]));
  const reversed = Object.fromEntries(SCALE.map((label, i) => [label, SCALE.length - i]));
  const config = {
    title,
    respondent: "出席番号",
    wave: "回答時期",
    pre: "事前",
    post: "事後",
    items: [
      { column: "Q1 興味がある", label: "興味", scale },
      { column: "Q2 調べられる", scale },
      { column: "Q3 発表は苦手だ", scale: reversed },
    ],
  };
  writeFileSync(join(server.dir, "answers.csv"), combined);
  writeFileSync(join(server.dir, "config.json"), JSON.stringify(config));
  const cli = kakehashi(["survey", "analyze", "--input", join(server.dir, "answers.csv"), "--config", join(server.dir, "config.json"), "--format", "json"]);
  assert.equal(cli.status, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout);
  assert.equal(api.items.length, 3);
  for (let i = 0; i < 3; ++i) {
    const [a, c] = [api.items[i], expected.items[i]];
    assert.equal(a.n, c.n);
    assert.equal(a.t_test.t, c.t_test.t, `t of ${a.column}`);
    assert.equal(a.t_test.df, c.t_test.df);
    assert.equal(a.t_test.p, c.t_test.p);
    assert.deepEqual(a.t_test.ci95, c.t_test.ci95);
    assert.equal(a.wilcoxon.V, c.wilcoxon.V);
    assert.equal(a.wilcoxon.p, c.wilcoxon.p);
  }
  assert.deepEqual(api, expected, "the whole document is the CLI's");
  assert.equal(api.items[0].n, 7);
  assert.ok(api.items[0].t_test.p < 0.001);
  // BOM and Shift_JIS uploads of the same answers give the same JSON.
  for (const [label, pre, post] of [
    ["bom", "\uFEFF" + PRE, "\uFEFF" + POST],
    ["sjis", cp932(PRE), cp932(POST)],
  ]) {
    const other = await analysedSurvey(as.operator, kanto, title, pre, post);
    assert.deepEqual(await json(as.operator, `/api/v1/surveys/${other}/results`), expected, label);
  }
  // The survey page explains the result in plain Japanese and shows the free text to the operator.
  const page = await as.operator.request(`/effects/surveys/${id}`);
  assert.match(page.text_, /<strong>興味<\/strong>: 事後の平均が事前より 1\.29 点高く、有意に向上した/);
  assert.match(page.text_, /Holm 法/);
  assert.match(page.text_, /楽しかった/);
  // Bad input: an unknown encoding, a file whose key column is gone (the mapping is remembered).
  const files = Number(sql("SELECT COUNT(*) FROM effect_survey_files"));
  const garbage = new Uint8Array([0x80, 0x80, 0xff, 0xfe, 0x81, 0x20, 0xa0, 0xfd]);
  const bad = await uploadFiles(as.operator, id, garbage, POST);
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /「pre\.csv」: 文字コードを判別できません。UTF-8 または Shift_JIS の CSV、または Excel（\.xlsx）で保存してください/);
  assert.match(bad.text_, /何も保存していません。/);
  const renamed = POST.replace("出席番号", "番号");
  const noKey = await uploadFiles(as.operator, id, PRE, renamed);
  assert.equal(noKey.status, 422);
  assert.match(noKey.text_, /回答者を識別する列「出席番号」が事後の回答ファイルにありません/);
  const pdf = await uploadFiles(as.operator, id, "%PDF-1.4\n%%EOF\n", POST, ["pre.pdf", "post.csv"]);
  assert.equal(pdf.status, 422);
  assert.match(pdf.text_, /「pre\.pdf」は読み込めません。回答ファイルは CSV または Excel（\.xlsx）にしてください/);
  assert.equal(Number(sql("SELECT COUNT(*) FROM effect_survey_files")), files);
  // The next good upload goes straight to the pairing with the remembered mapping.
  const again = await uploadFiles(as.operator, id, PRE, POST);
  assert.equal(again.status, 303);
  assert.equal(again.headers.get("location"), `/effects/surveys/${id}/preview`);
});

test("respondents' keys and free text stay with the secretariat and the operator; charts carry their data", async () => {
  const kanto = operatorOf("kanto");
  const id = Number(sql(`SELECT MIN(id) FROM effect_surveys WHERE operator_id = ${kanto} AND result <> ''`));
  const meti = await as.meti.request(`/effects/surveys/${id}`);
  assert.equal(meti.status, 200);
  assert.doesNotMatch(meti.text_, /自由記述/);
  assert.doesNotMatch(meti.text_, /アップロードしたファイル/);
  assert.match(meti.text_, /<svg[^>]*role="img"/);
  assert.equal((await as.meti.request(`/effects/surveys/${id}/preview`)).status, 403);
  assert.equal((await as.bureau.request(`/effects/surveys/${id}/mapping`)).status, 403);
  assert.equal((await as.operator_other.request(`/effects/surveys/${id}`)).status, 404);
  const secretariat = await as.secretariat.request(`/effects/surveys/${id}`);
  assert.match(secretariat.text_, /自由記述/);
  for (const [format, type] of [["csv", /^text\/csv/], ["xlsx", /spreadsheetml/], ["svg", /^image\/svg\+xml/]]) {
    const response = await as.meti.request(`/effects/surveys/${id}/charts/change/${format}`);
    assert.equal(response.status, 200, format);
    assert.match(response.headers.get("content-type"), type);
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get("content-disposition"))[1];
    assert.equal(decodeURIComponent(encoded), `探究学習 意識調査(高校 2 年) 事前から事後への変化（95% 信頼区間）.${format}`);
  }
  const csv = await as.meti.request(`/effects/surveys/${id}/charts/means/csv`);
  assert.match(csv.text_, /設問,回答数（組）,事前の平均（点）,事後の平均（点）,差（点）/);
  assert.doesNotMatch(csv.text_, /S0\d/);
  const svg = await as.meti.request(`/effects/surveys/${id}/charts/change/svg`);
  assert.match(svg.text_, /<title>[^<]+<\/title><desc>/);
});

test("the roll-up shows every block to METI and a bureau's own; the chapter downloads", async () => {
  const meti = await as.meti.request("/effects/rollup");
  assert.equal(meti.status, 200);
  assert.match(meti.text_, /全国（10 ブロック）の集計です。/);
  assert.equal([...meti.text_.matchAll(/<tr><th scope="row">/g)].length, 11);
  const bureau = await as.bureau_other.request("/effects/rollup");
  assert.match(bureau.text_, /<th scope="row">北海道<\/th>/);
  assert.doesNotMatch(bureau.text_, /<th scope="row">関東<\/th>/);
  const md = await as.meti.request("/effects/rollup/chapter/md");
  assert.equal(md.status, 200);
  assert.match(md.text_, /^# 効果検証/);
  assert.match(md.text_, /```chart/);
  assert.doesNotMatch(md.text_, /楽しかった|S0\d/);
  const docx = await as.meti.request("/effects/rollup/chapter/docx");
  assert.equal(docx.status, 200);
  assert.match(docx.headers.get("content-type"), /wordprocessingml/);
  const chart = await as.bureau_other.request("/effects/rollup/charts/rollup-schools/csv");
  assert.equal(chart.status, 200);
  assert.match(chart.text_, /ブロック,実績（校）,目標（校）/);
});

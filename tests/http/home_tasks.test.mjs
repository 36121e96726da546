// The role's home gets the operations module's to-dos (issue 16 item 7), through
// Application::add_home_tasks: the secretariat sees completed milestones awaiting review and the
// red flags, the operator its milestones returned for work or due soon, a bureau the flags of its
// own block only. On the demo programme, with a few milestones set by hand.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Browser } from "./server.mjs";
import { startProgramme, PEOPLE } from "./milestones_fixture.mjs";

let server, passwords, sql, operatorOf;
const as = {};
let kanto, kantoName, returned, dueSoon, overdue;

// A Japan date `days` from today, as the milestones store it.
function japanDate(days) {
  return new Date(Date.now() + 9 * 3600000 + days * 86400000).toISOString().slice(0, 10);
}
function section(html, id) {
  const match = new RegExp(`<section class="card tasks tasks--${id}"[\\s\\S]*?</section>`).exec(html);
  return match ? match[0] : "";
}

before(async () => {
  ({ server, passwords, sql, operatorOf } = await startProgramme());
  for (const key of ["secretariat", "bureau", "bureau_other", "operator", "operator_other"]) {
    as[key] = new Browser(server.base);
    assert.equal((await as[key].login(PEOPLE[key], passwords[PEOPLE[key]])).status, 303, key);
  }
  kanto = operatorOf("kanto");
  kantoName = sql(`SELECT name FROM operators WHERE id = ${kanto}`);
  // Only the milestones set here count for 関東: the others are done and reviewed.
  sql(`UPDATE milestones SET status = 'done', review_state = 'accepted', completed_on = '${japanDate(-30)}' WHERE operator_id = ${kanto}`);
  const ids = sql(`SELECT id FROM milestones WHERE operator_id = ${kanto} ORDER BY id LIMIT 4`).split("\n");
  assert.equal(ids.length, 4, "the demo gives 関東 four milestones or more");
  [returned, dueSoon, overdue] = ids;
  sql(`UPDATE milestones SET status = 'in_progress', review_state = 'needs_work', review_comment = '根拠資料を追加してください', due_on = '${japanDate(40)}' WHERE id = ${returned}`);
  sql(`UPDATE milestones SET status = 'in_progress', review_state = 'none', due_on = '${japanDate(5)}', title = '連携校の決定' WHERE id = ${dueSoon}`);
  sql(`UPDATE milestones SET status = 'in_progress', review_state = 'none', due_on = '${japanDate(-2)}', title = '第1回実施' WHERE id = ${overdue}`);
  sql(`UPDATE milestones SET status = 'done', review_state = 'none' WHERE id = ${ids[3]}`);
});

after(async () => {
  await server?.stop();
});

test("the secretariat sees completed milestones awaiting review and the red flags, with links", async () => {
  const home = (await as.secretariat.request("/")).text_;
  const tasks = section(home, "secretariat");
  assert.ok(tasks.includes(`<a href="/operations/operators/${kanto}/milestones">「${kantoName}」の完了したマイルストーン 1 件が確認を待っています</a>`), tasks);
  assert.ok(tasks.includes(`<a href="/operations/milestones/${overdue}">「${kantoName}」期限超過: `), "the overdue flag links to its milestone");
  // The tasks are their own region, before the programme's schedule.
  assert.ok(home.indexOf("tasks--secretariat") < home.indexOf("schedule-heading"));
});

test("the operator sees its returned milestone and the ones due soon or overdue, and nothing of another operator", async () => {
  const tasks = section((await as.operator.request("/")).text_, "operator");
  const title = sql(`SELECT title FROM milestones WHERE id = ${returned}`);
  assert.ok(tasks.includes(`<a href="/operations/milestones/${returned}">マイルストーン「${title}」が事務局から差し戻されました（要対応）</a>`), tasks);
  assert.match(tasks, new RegExp(`<a href="/operations/milestones/${dueSoon}">マイルストーン「連携校の決定」の期限は \\d+月\\d+日（.）です（あと 5 日）</a>`));
  assert.match(tasks, new RegExp(`<a href="/operations/milestones/${overdue}">マイルストーン「第1回実施」の期限（\\d+月\\d+日（.））を 2 日過ぎています</a>`));
  const other = section((await as.operator_other.request("/")).text_, "operator");
  assert.ok(!other.includes("連携校の決定") && !other.includes("第1回実施"), "another operator sees none of it");
});

test("a bureau sees the flags of its own block only", async () => {
  const mine = section((await as.bureau.request("/")).text_, "bureau");
  assert.ok(mine.includes(`「${kantoName}」期限超過: `), mine);
  const other = section((await as.bureau_other.request("/")).text_, "bureau");
  assert.ok(!other.includes(`「${kantoName}」`), "北海道's bureau does not see 関東");
});

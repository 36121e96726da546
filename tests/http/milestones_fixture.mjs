// The programme year for the operations tests of part A (milestones, dashboard): a real server
// whose database `kakehashi demo` filled (ten operators, milestones in every state, the demo
// logins), plus people out of reach: a bureau of 北海道 (the demo bureau user is 関東) and a user
// of the 北海道 operator (the demo operator login runs 関東).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, kakehashi, sql as sqlIn } from "./server.mjs";

export const OTHER_PASSWORD = "other person password 1234";

export async function startProgramme() {
  const server = await startServer();
  const demo = kakehashi(["demo", "--db", server.db]);
  if (demo.status !== 0) throw new Error("kakehashi demo failed: " + demo.stderr);
  const passwords = {};
  for (const line of readFileSync(join(server.dir, "demo-logins.txt"), "utf8").split("\n")) {
    const match = /^\s*(\S+@\S+)\s+(\S+)/.exec(line);
    if (match) passwords[match[1]] = match[2];
  }
  const others = [
    ["bureau.hokkaido@example.jp", "北海 道子", "bureau", "北海道経済産業局", "hokkaido"],
    ["op.hokkaido@example.jp", "北海 五郎", "operator", "一般社団法人北海道まなびネット", ""],
  ];
  for (const [email, name, role, org, block] of others) {
    const args = ["user", "add", "--db", server.db, "--email", email, "--name", name, "--role", role, "--org", org];
    if (block) args.push("--block", block);
    const added = kakehashi(args, OTHER_PASSWORD + "\n");
    if (added.status !== 0) throw new Error("user add failed: " + added.stderr);
    passwords[email] = OTHER_PASSWORD;
  }
  const sql = (query) => sqlIn(server.db, query);
  const operatorOf = (block) => Number(sql(`SELECT operator_id FROM operator_blocks WHERE block_id = '${block}'`));
  return { server, passwords, sql, operatorOf };
}

// The demo people by the key the tests use.
export const PEOPLE = {
  secretariat: "secretariat@demo.example",
  meti: "meti@demo.example",
  bureau: "bureau@demo.example",  // 関東経済産業局: reaches 関東
  bureau_other: "bureau.hokkaido@example.jp",
  operator: "operator@demo.example",  // 株式会社みらい産学連携 (関東)
  operator_other: "op.hokkaido@example.jp",
  reviewer: "reviewer@demo.example",
};

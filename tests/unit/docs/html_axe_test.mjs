// Renders the sample report, opens its HTML in Chromium and runs axe-core on it.
// Fails on any axe violation and on any request for something that is not the file itself
// (the HTML must be self-contained). Needs `npm ci` (playwright-core, axe-core) and
// /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const bin = process.env.KAKEHASHI_BIN;
const source = process.env.KAKEHASHI_SOURCE_DIR;
if (!bin || !source) {
  console.error('KAKEHASHI_BIN and KAKEHASHI_SOURCE_DIR must be set');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'kk-docs-axe-'));
let failed = false;
const browserProfile = join(work, 'profile');
try {
  execFileSync(bin, ['doc', 'render', join(source, 'docs/samples/sample-report.md'), '--out', work]);
  const htmlUrl = pathToFileURL(join(work, 'sample-report.html')).href;
  const context = await chromium.launchPersistentContext(browserProfile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (request) => {
    const url = request.url();
    if (url !== htmlUrl && !url.startsWith('data:') && !url.startsWith(htmlUrl + '#')) outside.push(url);
  });
  await page.goto(htmlUrl);
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const results = await page.evaluate(async () => await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const lang = await page.evaluate(() => document.documentElement.lang);
  const headings = await page.evaluate(() => [...document.querySelectorAll('h2')].map((h) => h.textContent));
  await context.close();

  for (const v of results.violations) {
    failed = true;
    console.error(`axe: ${v.id} (${v.impact}): ${v.help}`);
    for (const node of v.nodes.slice(0, 5)) console.error(`  ${node.target.join(' ')}`);
  }
  if (outside.length > 0) {
    failed = true;
    console.error(`external requests: ${outside.join(', ')}`);
  }
  if (lang !== 'ja') {
    failed = true;
    console.error(`lang is "${lang}", expected "ja"`);
  }
  const expected = ['目次', '第1章　事業の概要', '第2章　成果指標の達成状況', '第3章　得られた教訓', '注'];
  if (JSON.stringify(headings) !== JSON.stringify(expected)) {
    failed = true;
    console.error(`h2 headings ${JSON.stringify(headings)}, expected ${JSON.stringify(expected)}`);
  }
  console.log(`axe: ${results.passes.length} rules passed, ${results.violations.length} violations`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

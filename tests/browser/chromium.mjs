// Debian's Chromium driven by playwright-core, with the flags that keep it off the network.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "kakehashi-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    locale: "ja-JP",
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Opens `entry` from the main menu as a person does: the menu shows sections (「会議・イベント」);
// a section with one page is a direct link named after the page, a section with several opens
// its first page and lists all of them in its second row.
export async function openFromMenu(page, section, entry) {
  const menu = page.getByRole("navigation", { name: "メインメニュー" });
  const direct = menu.getByRole("link", { name: entry, exact: true });
  if ((await direct.count()) === 0) {
    await Promise.all([page.waitForLoadState(), menu.getByRole("link", { name: section, exact: true }).click()]);
  }
  await page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: entry, exact: true }).click();
  await page.waitForLoadState();
}

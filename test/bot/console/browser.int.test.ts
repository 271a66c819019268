import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { consoleRoutes } from "../../../bot/console/routes.ts";
import { demoDb, type TestDb } from "../../support/db.ts";
import { listen } from "../../support/server.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
// In CI a missing browser is a failure (.ci/run installs it); elsewhere the test is skipped with a note.
if (!available && !process.env["CI"]) {
  console.warn("Browser test skipped: install Debian's chromium (apt-get install chromium) to run it.");
}

let t: TestDb;
afterEach(() => t?.cleanup());

describe.skipIf(!available && !process.env["CI"])("console in a real browser", () => {
  it("shows today's tiles from their panel, answers a typed command and explains a mistyped one", async () => {
    expect(available, "Debian chromium is not installed at /usr/bin/chromium").toBe(true);
    t = demoDb({ now: () => Date.parse("2026-11-22T15:00:00Z") });
    const server = await listen(consoleRoutes({ core: t.core, runner: t.core.runner(), pollMs: 200 }));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForSelector('[data-panel="today"] dl.facts div');
      expect(await page.locator('[data-panel="today"] dt').allTextContents()).toEqual([
        "Visitors",
        "Orders",
        "Revenue",
        "Conversion rate",
      ]);
      expect(await page.locator("#freshness").textContent()).toMatch(/^Data as of /);

      await page.fill("#command", "revenue and orders last 7 days by channel");
      await page.press("#command", "Enter");
      await page.waitForSelector("#answers article");
      expect(await page.locator("#answers article h2").first().textContent()).toBe(
        "Revenue, Orders · Last 7 days by channel",
      );
      expect(await page.locator("#answers article tfoot td").first().textContent()).toBe("Total");
      const chart = page.locator("#answers article img.chart").first();
      await chart.waitFor();
      expect(
        await chart.evaluate((img) => {
          const image = img as unknown as { complete: boolean; naturalWidth: number };
          return image.complete && image.naturalWidth;
        }),
      ).toBe(960);

      await page.fill("#command", "what's the weather in berlin");
      await page.press("#command", "Enter");
      await page.waitForSelector("#answers .error");
      expect(await page.locator("#answers .error").first().textContent()).toBe(
        "I could not read “what's the weather in berlin” as a question about your marketing dataask about a metric (revenue, orders, visitors, ROAS …) with a period, a channel or a campaign; or try `help`",
      );
      // Questions that work are offered; a click asks one.
      await page.locator('#answers a[data-example="revenue last 7 days by channel"]').first().click();
      await page.waitForFunction(
        () =>
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { textContent: string } | null };
            }
          ).document.querySelector("#answers article h2")?.textContent === "Revenue · Last 7 days by channel",
      );
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);

  it("fits a phone: no sideways scrolling at 390 px, and charts drawn for the narrow screen", async () => {
    expect(available, "Debian chromium is not installed at /usr/bin/chromium").toBe(true);
    t = demoDb({ now: () => Date.parse("2026-11-22T15:00:00Z") });
    const server = await listen(consoleRoutes({ core: t.core, runner: t.core.runner(), pollMs: 200 }));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
      const missing: string[] = [];
      page.on("response", (response) => {
        if (response.status() === 404) missing.push(response.url());
      });
      await page.goto(`${server.url}/`);
      await page.waitForSelector('[data-panel="today"] dl.facts div');
      await page.fill("#command", "campaigns last 30 days");
      await page.press("#command", "Enter");
      const chart = page.locator("#answers article img.chart").first();
      await chart.waitFor();
      await page.waitForFunction(() => {
        const doc = (
          globalThis as unknown as { document: { querySelector(s: string): { complete: boolean } | null } }
        ).document;
        return doc.querySelector("#answers article img.chart")?.complete === true;
      });
      const widths = await page.evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: { documentElement: { scrollWidth: number; clientWidth: number } };
          }
        ).document;
        return { scroll: doc.documentElement.scrollWidth, client: doc.documentElement.clientWidth };
      });
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      expect(await chart.evaluate((img) => (img as unknown as { currentSrc: string }).currentSrc)).toMatch(
        /\/480\.png$/,
      );
      expect(missing).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);
});

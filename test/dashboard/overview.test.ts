/**
 * The overview against a real `jobd serve`: counts by state and queue change live (SSE, no reload)
 * as jobs are submitted, completed and failed over HTTP; the chart counts them; the server facts show.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { waitForText } from "./support/browser.js";
import { useDashboardFixture } from "./support/dashboard-fixture.js";

const fx = useDashboardFixture();

const count = (status: string) => `.counts [data-status="${status}"] .count-value`;

/** Opens the overview and marks the window, so a reload would be noticed. */
async function openOverview(): Promise<Page> {
  const page = await fx.browser.newPage();
  await page.goto(`${fx.server.url}/`);
  await waitForText(page, "#live", "Live");
  await page.evaluate(() => Object.assign(window, { notReloaded: true }));
  return page;
}

describe("overview", () => {
  it("updates the counts by state and by queue live, without reloading", async () => {
    const page = await openOverview();
    await waitForText(page, count("queued"), "0");

    await fx.http.submitMany([1, 2, 3].map((n) => ({ type: "live.mail", queue: "mail", payload: { n } })));
    await waitForText(page, count("queued"), "3");
    await waitForText(page, 'tr[data-queue="mail"] td:nth-of-type(1)', "3");

    const first = await fx.http.leaseOne("live.mail");
    const second = await fx.http.leaseOne("live.mail");
    await waitForText(page, count("processing"), "2");
    await fx.http.complete(first, { ok: true });
    await fx.http.fail(second, "mailbox full");
    await waitForText(page, count("completed"), "1");
    await waitForText(page, count("failed"), "1");
    await waitForText(page, count("queued"), "1");
    await waitForText(page, 'tr[data-queue="mail"] td:nth-of-type(3)', "1");

    await waitForText(page, ".throughput figcaption", /^1 completed and 1 failed in the last 10 minutes/);
    expect(await page.locator(".chart rect").count()).toBeGreaterThanOrEqual(2);
    const reloaded = await page.evaluate(() => !(window as unknown as { notReloaded?: boolean }).notReloaded);
    expect(reloaded).toBe(false);
    await page.close();

    const later = await openOverview(); // Its chart starts from the history, not from events.
    await waitForText(later, ".throughput figcaption", /^1 completed and 1 failed in the last 10 minutes/);
    await later.close();
  });

  it("shows the backend, the durability level and the last recovery result", async () => {
    const page = await openOverview();
    await waitForText(page, '[data-fact="backend"]', "memory");
    await waitForText(page, '[data-fact="durability"]', /^none/);
    await waitForText(
      page,
      '[data-fact="recovery"]',
      "0 recovered, 0 requeued, 0 failed, 0 retried, 0 pruned",
    );
    await page.close();
  });

  it("has landmarks, a live region for the counts, and loads nothing from elsewhere", async () => {
    const page = await fx.browser.newPage();
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(fx.server.url) && !request.url().startsWith("data:"))
        foreign.push(request.url());
    });
    await page.goto(`${fx.server.url}/`);
    await waitForText(page, "#live", "Live");
    expect(await page.locator("header nav[aria-label='Main']").count()).toBe(1);
    expect(await page.locator("main#main h2").textContent()).toBe("Overview");
    expect(await page.locator(".counts").getAttribute("aria-live")).toBe("polite");
    expect(await page.locator("nav a[aria-current='page']").textContent()).toBe("Overview");
    expect(foreign).toEqual([]);
    await page.close();
  });

  it("is keyboard usable: skip link, then the main navigation moves focus to the new view", async () => {
    const page = await openOverview();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(page.url()).toBe(`${fx.server.url}/`);

    await page.locator("nav a", { hasText: "Overview" }).focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await waitForText(page, "main h2", "Jobs");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Jobs");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H2");
    await page.close();
  });
});

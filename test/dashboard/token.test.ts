/**
 * The token prompt against `jobd serve --api-token`: the page loads without a token, says why it
 * needs one, refuses a wrong one, keeps a right one for the tab (sessionStorage), sends it only as a
 * Bearer header, and never puts it in a URL.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { waitForText } from "./support/browser.js";
import { useDashboardFixture } from "./support/dashboard-fixture.js";

const TOKEN = "s3cret-dashboard-token";
const fx = useDashboardFixture(["--api-token", TOKEN], TOKEN);

/** Every request the page makes, with its Authorization header. */
function recordRequests(page: Page): { url: string; authorization: string | undefined }[] {
  const seen: { url: string; authorization: string | undefined }[] = [];
  page.on("request", (request) =>
    seen.push({ url: request.url(), authorization: request.headers().authorization }),
  );
  return seen;
}

describe("API token", () => {
  it("asks for the token, says why, refuses a wrong one and keeps a right one for the tab", async () => {
    await fx.http.submit({ type: "token.job" });
    const page = await fx.browser.newPage();
    const requests = recordRequests(page);
    await page.goto(`${fx.server.url}/`);

    await waitForText(page, "#token-heading", "API token required");
    await waitForText(page, "#token-why", /requires an API token: its API answered 401/);
    await waitForText(page, "#live", "Token needed");

    await page.getByLabel("API token", { exact: true }).fill("wrong-token");
    await page.getByRole("button", { name: "Use token" }).click();
    await waitForText(page, "#token-why", /refused the token/);

    await page.getByLabel("API token", { exact: true }).fill(TOKEN);
    await page.getByRole("button", { name: "Use token" }).click();
    await waitForText(page, "main h2", "Overview");
    await waitForText(page, '.counts [data-status="queued"] .count-value', "1");
    await waitForText(page, "#live", "Live");
    expect(await page.evaluate(() => sessionStorage.getItem("jobd.apiToken"))).toBe(TOKEN);

    await page.reload();
    await waitForText(page, "#live", "Live");
    await waitForText(page, '.counts [data-status="queued"] .count-value', "1");
    expect(await page.locator("#token-heading").count()).toBe(0);

    expect(requests.filter((r) => r.url.includes(TOKEN))).toEqual([]);
    const apiCalls = requests.filter((r) => new URL(r.url).pathname.startsWith("/api/"));
    expect(apiCalls.filter((r) => r.authorization === `Bearer ${TOKEN}`).length).toBeGreaterThan(2);
    const staticFiles = requests.filter((r) => !new URL(r.url).pathname.startsWith("/api/"));
    expect(staticFiles.every((r) => r.authorization === undefined)).toBe(true);
    await page.close();
  });

  it("forgets the token with the tab", async () => {
    const page = await fx.browser.newPage();
    await page.goto(`${fx.server.url}/#/jobs`);
    await waitForText(page, "#token-heading", "API token required");
    await page.getByLabel("API token", { exact: true }).fill(TOKEN);
    await page.keyboard.press("Enter");
    await waitForText(page, "main h2", "Jobs");
    await waitForText(page, "table.jobs caption", "1–1 of 1, newest first");
    await page.close();
  });
});

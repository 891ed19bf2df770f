/**
 * The jobs pages against a real `jobd serve`: filtering and paging as `GET /api/jobs/history` does
 * them, the detail view, and the actions (retry, cancel, delete, retry all failed), each reflected at
 * once, with the server's message when it refuses. Every test uses its own job types.
 */
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { waitForText } from "./support/browser.js";
import { useDashboardFixture } from "./support/dashboard-fixture.js";

const fx = useDashboardFixture();

async function open(hash: string): Promise<Page> {
  const page = await fx.browser.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(`${fx.server.url}/${hash}`);
  await waitForText(page, "#live", "Live");
  return page;
}

const caption = "table.jobs caption";
const rows = "table.jobs tbody tr";
const rowOf = (id: string) => `tr[data-job-id="${id}"]`;
const fact = (name: string) => `[data-fact="${name}"]`;

describe("jobs history", () => {
  it("pages newest first with the API's limit, offset and total", async () => {
    const reports = await fx.http.submitMany(
      Array.from({ length: 25 }, (_, n) => ({ type: "page.report", payload: { n } })),
    );
    const page = await open("#/jobs?type=page.report&limit=20");
    await waitForText(page, caption, "1–20 of 25, newest first");
    expect(await page.locator(rows).count()).toBe(20);
    expect(await page.locator(rows).first().getAttribute("data-job-id")).toBe(reports[24]?.id);

    await page.getByRole("link", { name: "Older →" }).click();
    await waitForText(page, caption, "21–25 of 25, newest first");
    expect(await page.locator(rows).count()).toBe(5);
    expect(await page.locator(rows).last().getAttribute("data-job-id")).toBe(reports[0]?.id);
    expect(page.url()).toContain("offset=20");
    await waitForText(page, ".page-number", "Page 2 of 2");

    await page.getByRole("link", { name: "← Newer" }).click();
    await waitForText(page, caption, "1–20 of 25, newest first");
    await page.close();
  });

  it("filters by state, type and queue through the form", async () => {
    await fx.http.submitMany(
      [1, 2, 3].map((n) => ({ type: "filter.mail", queue: "outbox", payload: { n } })),
    );
    await fx.http.submitMany([1, 2].map((n) => ({ type: "filter.sms", queue: "outbox", payload: { n } })));
    const failed = await fx.http.submitFailed("filter.sms", "no signal", { queue: "outbox" });
    const page = await open("#/jobs");

    await page.getByLabel("Queue").fill("outbox");
    await page.getByRole("button", { name: "Apply" }).click();
    await waitForText(page, caption, "1–6 of 6, newest first");

    await page.getByLabel("Type").fill("filter.sms");
    await page.getByRole("button", { name: "Apply" }).click();
    await waitForText(page, caption, "1–3 of 3, newest first");
    expect(await page.locator(`${rows} td:nth-of-type(1)`).allTextContents()).toEqual(
      Array(3).fill("filter.sms"),
    );

    await page.getByLabel("State").selectOption("failed");
    await page.getByRole("button", { name: "Apply" }).click();
    await waitForText(page, caption, "1–1 of 1, newest first");
    expect(await page.locator(rows).first().getAttribute("data-job-id")).toBe(failed.id);
    expect(page.url()).toMatch(/status=failed/);
    await page.close();
  });

  it("updates rows live and offers newly created jobs", async () => {
    const job = await fx.http.submit({ type: "live.row" });
    const page = await open("#/jobs?type=live.row");
    await waitForText(page, caption, "1–1 of 1, newest first");
    await fx.http.leaseOne("live.row");
    await waitForText(page, `${rowOf(job.id)} .badge`, "processing");

    await fx.http.submit({ type: "live.row" });
    await page.getByRole("button", { name: "1 new job — show" }).click();
    await waitForText(page, caption, "1–2 of 2, newest first");
    await page.close();
  });
});

describe("job detail and actions", () => {
  it("shows payload, attempts, progress, worker and lease, then the error, live", async () => {
    const job = await fx.http.submit({
      type: "detail.send",
      payload: { to: "a@b.c", n: 7 },
      max_attempts: 2,
    });
    const leased = await fx.http.leaseOne("detail.send", "worker-7");
    await fx.http.heartbeat(leased, 40);
    const page = await open(`#/jobs/${job.id}`);
    await waitForText(page, fact("status"), "processing");
    await waitForText(page, fact("attempts"), "1 of 2");
    await waitForText(page, fact("progress"), "40%");
    await waitForText(page, fact("worker"), "worker-7");
    expect(await page.locator(`${fact("lease-expires")} time`).count()).toBe(1);
    expect(await page.locator(`${fact("created")} time`).getAttribute("datetime")).toBe(job.created_at);
    expect(JSON.parse((await page.locator('[data-block="payload"]').textContent()) ?? "")).toEqual({
      to: "a@b.c",
      n: 7,
    });

    await fx.http.fail(leased, "smtp down");
    await waitForText(page, fact("status"), "failed");
    await waitForText(page, '[data-block="error"]', "smtp down");
    await waitForText(page, fact("worker"), "—");
    await page.close();
  });

  it("retries a failed job and shows it queued at once", async () => {
    const failed = await fx.http.submitFailed("retry.one", "boom", { max_attempts: 1 });
    const page = await open(`#/jobs/${failed.id}`);
    await waitForText(page, fact("status"), "failed");
    await page.getByRole("button", { name: /^Retry job/ }).click();
    await waitForText(page, fact("status"), "queued");
    await waitForText(page, fact("attempts"), "0 of 1");
    await waitForText(page, ".messages [role=status]", "Job requeued for processing");
    expect((await fx.http.get(failed.id)).status).toBe("queued");
    await page.close();
  });

  it("cancels a queued job from the table", async () => {
    const job = await fx.http.submit({ type: "cancel.me" });
    const page = await open("#/jobs?type=cancel.me");
    await page
      .locator(rowOf(job.id))
      .getByRole("button", { name: /^Cancel job/ })
      .click();
    await waitForText(page, `${rowOf(job.id)} .badge`, "cancelled");
    await waitForText(page, ".messages [role=status]", "Job cancelled.");
    expect((await fx.http.get(job.id)).status).toBe("cancelled");
    expect(
      await page
        .locator(rowOf(job.id))
        .getByRole("button", { name: /^Retry job/ })
        .count(),
    ).toBe(1);
    await page.close();
  });

  it("shows the server's message when it refuses, and deletes once allowed", async () => {
    const job = await fx.http.submit({ type: "delete.busy" });
    const leased = await fx.http.leaseOne("delete.busy");
    const refusal = await fetch(`${fx.server.url}/api/jobs/${job.id}`, { method: "DELETE" });
    expect(refusal.status).toBe(409);
    const { error } = (await refusal.json()) as { error: { message: string } };

    const page = await open(`#/jobs/${job.id}`);
    await waitForText(page, fact("status"), "processing");
    await page.getByRole("button", { name: /^Delete job/ }).click();
    await waitForText(page, ".messages [role=alert]", error.message);
    expect((await fx.http.get(job.id)).status).toBe("processing");

    await fx.http.complete(leased, null);
    await waitForText(page, fact("status"), "completed");
    await page.getByRole("button", { name: /^Delete job/ }).click();
    await waitForText(page, ".gone", "This job was deleted.");
    await waitForText(page, ".messages [role=status]", "Job deleted.");
    const gone = await fetch(`${fx.server.url}/api/jobs/${job.id}`);
    expect(gone.status).toBe(404);
    await page.close();
  });

  it("retries all failed jobs matching the type filter, and only those", async () => {
    const a1 = await fx.http.submitFailed("bulk.a", "x");
    const a2 = await fx.http.submitFailed("bulk.a", "x");
    const b = await fx.http.submitFailed("bulk.b", "x");
    const page = await open("#/jobs?type=bulk.a");
    await waitForText(page, caption, "1–2 of 2, newest first");
    await page.getByRole("button", { name: "Retry all failed (type bulk.a)" }).click();
    await waitForText(page, ".messages [role=status]", "Requeued 2 failed jobs.");
    await waitForText(page, `${rowOf(a1.id)} .badge`, "queued");
    await waitForText(page, `${rowOf(a2.id)} .badge`, "queued");
    expect((await fx.http.get(b.id)).status).toBe("failed");
    await page.close();
  });

  it("says so when a job does not exist", async () => {
    const page = await open(`#/jobs/${randomUUID()}`);
    await waitForText(page, ".job-body .error", "No job has this id.");
    await page.close();
  });
});

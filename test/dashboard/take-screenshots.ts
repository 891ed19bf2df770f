/**
 * `npm run screenshots`: starts a real `jobd serve` (SQLite in a temp dir), drives some traffic
 * through a remote worker for ~70 s so the chart has bars, and saves docs/dashboard-overview.png and
 * docs/dashboard-job.png. Needs `npm run build` and Debian's Chromium.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, waitForText } from "./support/browser.js";
import { JobdHttp } from "./support/jobd-http.js";
import { startJobd } from "./support/jobd-process.js";

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs");
const TRAFFIC_MS = 70_000;
const TYPES = [
  { type: "email.send", queue: "mail" },
  { type: "invoice.render", queue: "billing" },
  { type: "thumbnail.make", queue: "default" },
];

/** A worker loop: submits a few jobs a second and finishes most of them, failing about one in eight. */
async function traffic(http: JobdHttp, until: number): Promise<void> {
  let n = 0;
  while (Date.now() < until) {
    const { type, queue } = TYPES[n % TYPES.length] ?? { type: "x", queue: "default" };
    await http.submit({ type, queue, payload: { n, to: `user${n}@example.com` }, max_attempts: 1 });
    const [job] = await http.lease(type, "worker-eu-1");
    if (job && n % 8 === 5) await http.fail(job, "SMTP 421: service not available");
    else if (job && n % 5 !== 4) await http.complete(job, { ok: true, ms: 40 + (n % 7) * 13 });
    n += 1;
    const wave = 1 + Math.sin(Date.now() / 9_000); // Busier and quieter stretches, like real traffic.
    await new Promise((resolve) => setTimeout(resolve, 80 + wave * 220 + (n % 5) * 30));
  }
}

/** A job that failed twice, for the detail screenshot. */
async function failedTwice(http: JobdHttp): Promise<string> {
  await http.submit({
    type: "report.export",
    queue: "reports",
    payload: { account: 4711, format: "csv" },
    max_attempts: 2,
  });
  const first = await http.leaseOne("report.export", "worker-eu-2");
  await http.heartbeat(first, 35);
  await http.call("POST", `/api/jobs/${first.id}/fail`, {
    worker_id: "worker-eu-2",
    attempt: 1,
    error: "timeout",
  });
  const [second] = await http
    .call<{ jobs: { attempts: number }[] }>("POST", "/api/workers/lease", {
      worker_id: "worker-eu-2",
      types: ["report.export"],
      wait_ms: 5_000,
    })
    .then((r) => r.jobs);
  if (!second) throw new Error("the retry of report.export never became due");
  const error = "upstream 503 from reports-db after 30 s";
  await http.call("POST", `/api/jobs/${first.id}/fail`, {
    worker_id: "worker-eu-2",
    attempt: second.attempts,
    error,
  });
  return first.id;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "jobd-screenshots-"));
const server = await startJobd(["--persist", "--backend", "sqlite", "--data-dir", dataDir]);
const browser = await launchChromium();
try {
  const http = new JobdHttp(server.url);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${server.url}/`);
  await waitForText(page, "#live", "Live");
  const detailId = await failedTwice(http);
  await traffic(http, Date.now() + TRAFFIC_MS);
  await page.waitForTimeout(2_500); // One more chart redraw.
  await page.screenshot({ path: path.join(DOCS, "dashboard-overview.png"), fullPage: true });
  await page.goto(`${server.url}/#/jobs/${detailId}`);
  await waitForText(page, '[data-fact="status"]', "failed");
  await page.screenshot({ path: path.join(DOCS, "dashboard-job.png"), fullPage: true });
  console.log(`saved ${path.join(DOCS, "dashboard-overview.png")} and dashboard-job.png`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * The live stream across a server restart: the page says it is offline, reconnects by itself when
 * the server is back on the same port, reloads what it shows, and keeps counting live.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, describe, it } from "vitest";
import { launchChromium, waitForText } from "./support/browser.js";
import { JobdHttp } from "./support/jobd-http.js";
import { type JobdProcess, startJobd } from "./support/jobd-process.js";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "jobd-dashboard-reconnect-"));
let browser: Browser | undefined;
let server: JobdProcess | undefined;

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A port that was free a moment ago, so the restarted server can take the same one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const queued = '.counts [data-status="queued"] .count-value';

describe("live stream", () => {
  it("reconnects after a restart and keeps counting", async () => {
    const port = await freePort();
    const args = ["--persist", "--backend", "sqlite", "--data-dir", dataDir];
    [server, browser] = await Promise.all([startJobd(args, port), launchChromium()]);
    const http = new JobdHttp(server.url);
    await http.submit({ type: "restart.kept" });
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await waitForText(page, "#live", "Live");
    await waitForText(page, queued, "1");

    await server.stop();
    await waitForText(page, "#live", "Offline, reconnecting…");
    server = await startJobd(args, port);
    await waitForText(page, "#live", "Live", 20_000);
    await waitForText(page, '[data-fact="recovery"]', /^1 recovered/);

    await http.submit({ type: "restart.new" });
    await waitForText(page, queued, "2");
    await page.close();
  });
});

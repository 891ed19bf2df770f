/**
 * One real `jobd serve` and one Chromium per test file: started in `beforeAll`, stopped in `afterAll`.
 * Tests read the fields once the hooks have run.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./browser.js";
import { JobdHttp } from "./jobd-http.js";
import { type JobdProcess, startJobd } from "./jobd-process.js";

/** What a browser test works with. */
export interface DashboardFixture {
  server: JobdProcess;
  browser: Browser;
  /** A REST client for the server (with the token, when one was given). */
  http: JobdHttp;
}

/** Registers the hooks; `serveArgs` go to `jobd serve`, `token` to the REST client. */
export function useDashboardFixture(serveArgs: string[] = [], token?: string): DashboardFixture {
  const fixture = {} as DashboardFixture;
  beforeAll(async () => {
    [fixture.server, fixture.browser] = await Promise.all([startJobd(serveArgs), launchChromium()]);
    fixture.http = new JobdHttp(fixture.server.url, token);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
}

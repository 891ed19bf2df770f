/**
 * `jobd serve` ends its process once the graceful shutdown is done, even when an in-process handler
 * ignores its AbortSignal and keeps the event loop busy (a timer that never stops): exit 0 within
 * --shutdown-timeout and a small margin, every log line written, the job queued again. A second signal
 * during the shutdown quits at once with 128 + the signal's number; the job is recovered at the next start.
 */
import { writeFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JobdClient } from "../../src/client/index.js";
import { waitForJob } from "../client/wait-for-job.js";
import { tempDir } from "../support/temp-dir.js";
import { whySkipped } from "./backends.js";
import { type Exit, JobdProcess } from "./jobd-process.js";

/** A task directory whose one task never ends and never looks at its signal. */
function stubbornTasks(): string {
  const dir = tempDir("e2e-stubborn");
  writeFileSync(
    join(dir, "e2e.stubborn.mjs"),
    "export default async () => { await new Promise(() => setInterval(() => {}, 1000)); };\n",
  );
  return dir;
}

/** The process's exit, or "still running" when it has not ended within `ms`. */
function exitWithin(jobd: JobdProcess, ms: number): Promise<Exit | "still running"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"still running">((resolve) => {
    timer = setTimeout(() => resolve("still running"), ms);
  });
  return Promise.race([jobd.exited, late]).finally(() => clearTimeout(timer));
}

/** Starts a server on a fresh sqlite store with the stubborn task, and one job running it. */
async function serverWithStubbornJob(shutdownTimeout: string) {
  const dataDir = tempDir("e2e-stubborn-data");
  const store = ["--backend", "sqlite", "--data-dir", dataDir];
  const jobd = await JobdProcess.serve([
    ...store,
    "--tasks",
    stubbornTasks(),
    "--shutdown-timeout",
    shutdownTimeout,
  ]);
  const client = new JobdClient({ url: jobd.startup.url });
  const job = await client.create({ type: "e2e.stubborn" });
  await waitForJob(client, job.id, ["processing"]);
  return { jobd, store, job };
}

/** Resolves once the server has logged a line matching `pattern`. */
async function logged(jobd: JobdProcess, pattern: RegExp): Promise<void> {
  const seen = () => jobd.logLines().some((line) => pattern.test(String(line.msg)));
  while (!seen()) await new Promise((resolve) => jobd.child.stdout?.once("data", resolve));
}

describe.skipIf(whySkipped("sqlite") !== null)("jobd serve ends its process after the shutdown", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s with a handler that ignores its signal: exit 0 after --shutdown-timeout, the job queued again",
    async (signal) => {
      const { jobd, store, job } = await serverWithStubbornJob("1");
      const sent = Date.now();
      jobd.child.kill(signal);
      expect(await exitWithin(jobd, 1_000 + 2_500)).toEqual({ code: 0, signal: null });
      expect(Date.now() - sent).toBeGreaterThanOrEqual(900); // it did wait for the handler
      // every log line reached stdout before the process ended, the last one included
      expect(jobd.logLines().at(-1)?.msg).toBe("jobd stopped: store closed");
      expect(jobd.stderr).toBe("");

      const again = await JobdProcess.serve(store); // no handlers now
      expect(again.startup.recovery).toMatchObject({ recovered: 1, requeued: 0, failed: 0 });
      const after = await new JobdClient({ url: again.startup.url }).get(job.id);
      expect(after).toMatchObject({ status: "queued", attempts: 0, worker_id: null });
      expect(await again.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );

  it.each(["SIGTERM", "SIGINT"] as const)(
    "a second %s during the shutdown quits at once with 128 + its number",
    async (signal) => {
      const { jobd, store, job } = await serverWithStubbornJob("60");
      jobd.child.kill(signal);
      await logged(jobd, /stopping; running handlers get up to 60 s/);
      jobd.child.kill(signal);
      expect(await exitWithin(jobd, 2_000)).toEqual({ code: 128 + constants.signals[signal], signal: null });
      expect(jobd.logLines().at(-1)?.msg).toMatch(
        new RegExp(`^${signal} again: quitting now.*queued again at the next start`),
      );

      // like a crash: the next start's recovery puts the job back to queued (the cut-short run counts)
      const again = await JobdProcess.serve(store);
      expect(again.startup.recovery).toMatchObject({ requeued: 1, failed: 0 });
      const after = await new JobdClient({ url: again.startup.url }).get(job.id);
      expect(after).toMatchObject({ status: "queued", worker_id: null });
      expect(await again.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );
});

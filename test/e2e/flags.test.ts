/**
 * Flags of `jobd serve` observed through the real process's behaviour, not its parsed config:
 * --max-payload-bytes (413), --tasks, --retry-failed-on-startup and --retention-days (the restart's
 * RecoveryResult), --auto-save-interval (the json snapshot is written without a shutdown).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { JobdClient } from "../../src/client/index.js";
import { waitForJob } from "../client/wait-for-job.js";
import { tempDir } from "../support/temp-dir.js";
import { whySkipped } from "./backends.js";
import { JobdProcess } from "./jobd-process.js";

function tasksDir(): string {
  const dir = tempDir("e2e-flag-tasks");
  writeFileSync(join(dir, "e2e.echo.mjs"), "export default async (payload) => payload;\n");
  writeFileSync(join(dir, "e2e.broken.mjs"), "export default async () => { throw new Error('broken'); };\n");
  return dir;
}

describe("serve flags, seen in what the server does", () => {
  it.skipIf(whySkipped("sqlite") !== null)(
    "--max-payload-bytes, --tasks, then --retry-failed-on-startup and --retention-days on restart",
    async () => {
      const dataDir = tempDir("e2e-flags");
      const store = ["--backend", "sqlite", "--data-dir", dataDir];
      const first = await JobdProcess.serve([...store, "--tasks", tasksDir(), "--max-payload-bytes", "200"]);
      const client = new JobdClient({ url: first.startup.url });
      const tooBig = await client.create({ type: "e2e.echo", payload: "x".repeat(300) }).catch((e) => e);
      expect(tooBig).toMatchObject({ code: "payload_too_large", httpStatus: 413 });
      const echoed = await client.create({ type: "e2e.echo", payload: "y".repeat(150) });
      const broken = await client.create({ type: "e2e.broken", max_attempts: 1 });
      expect(await waitForJob(client, echoed.id, ["completed"])).toMatchObject({ result: "y".repeat(150) });
      expect(await waitForJob(client, broken.id, ["failed"])).toMatchObject({ error: "broken", attempts: 1 });
      expect(await first.kill("SIGTERM")).toEqual({ code: 0, signal: null });

      const second = await JobdProcess.serve([
        ...store,
        "--retry-failed-on-startup",
        "3",
        "--retention-days",
        "0",
      ]);
      // the failed job is retried first (so not pruned); the completed one is past a 0-day retention
      expect(second.startup.recovery).toEqual({
        recovered: 0,
        requeued: 0,
        failed: 0,
        retried: 1,
        pruned: 1,
      });
      const after = new JobdClient({ url: second.startup.url });
      expect(await after.get(broken.id)).toMatchObject({ status: "queued", max_attempts: 3, attempts: 1 });
      await expect(after.get(echoed.id)).rejects.toMatchObject({ code: "not_found" });
      expect(await second.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );

  it.skipIf(whySkipped("json") !== null)(
    "--auto-save-interval: the json snapshot is written while running",
    async () => {
      const dataDir = tempDir("e2e-autosave");
      const jobd = await JobdProcess.serve(["--persist", "--data-dir", dataDir, "--auto-save-interval", "1"]);
      const job = await new JobdClient({ url: jobd.startup.url }).create({ type: "e2e.saved" });
      const snapshot = join(dataDir, "jobs.json");
      const saved = () => existsSync(snapshot) && readFileSync(snapshot, "utf8").includes(job.id);
      for (let waited = 0; !saved() && waited < 5_000; waited += 100) await sleep(100); // a timer's effect on disk
      expect(saved()).toBe(true);
      expect(statSync(join(dataDir, "jobs.journal")).size).toBe(0);
      expect(await jobd.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );
});

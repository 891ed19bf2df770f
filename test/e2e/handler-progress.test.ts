/**
 * `ctx.progress(n)` in `--tasks` handlers of the real `jobd serve`: a value outside 0…100 throws to the
 * handler, synchronously — caught, the run goes on; uncaught, it fails that job — and never ends the
 * server (an unawaited rejected promise used to: unhandled rejection, exit 1).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JobdClient } from "../../src/client/index.js";
import { waitForJob } from "../client/wait-for-job.js";
import { tempDir } from "../support/temp-dir.js";
import { whySkipped } from "./backends.js";
import { JobdProcess } from "./jobd-process.js";

const TASKS: Record<string, string> = {
  "p.uncaught": 'export default async (p, ctx) => { ctx.progress(150); return "done"; };',
  "p.caught":
    "export default async (p, ctx) => { try { ctx.progress(150); } catch (e) { return e.message; } return 'not thrown'; };",
  "p.valid": 'export default async (p, ctx) => { await ctx.progress(40); return "ok"; };',
};

describe("ctx.progress in task handlers", () => {
  it.skipIf(whySkipped("sqlite") !== null)(
    "an out-of-range value throws to the handler and the server keeps running",
    async () => {
      const tasks = tempDir("e2e-progress-tasks");
      for (const [type, source] of Object.entries(TASKS))
        writeFileSync(join(tasks, `${type}.mjs`), `${source}\n`);
      const jobd = await JobdProcess.serve([
        "--backend",
        "sqlite",
        "--data-dir",
        tempDir("e2e-progress"),
        "--tasks",
        tasks,
      ]);
      const client = new JobdClient({ url: jobd.startup.url });

      const uncaught = await client.create({ type: "p.uncaught", max_attempts: 1 });
      expect(await waitForJob(client, uncaught.id, ["failed"])).toMatchObject({
        error: "progress must be a number from 0 to 100 (got 150)",
        progress: null,
      });
      const caught = await client.create({ type: "p.caught" });
      expect(await waitForJob(client, caught.id, ["completed"])).toMatchObject({
        result: "progress must be a number from 0 to 100 (got 150)",
      });
      const valid = await client.create({ type: "p.valid" });
      expect(await waitForJob(client, valid.id, ["completed"])).toMatchObject({ result: "ok", progress: 40 });

      expect(jobd.child.exitCode).toBeNull();
      expect(jobd.stderr).toBe("");
      expect(await jobd.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );
});

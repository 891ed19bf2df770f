/**
 * The operator commands as real processes (`node bin/jobd.js submit|get|list|stats …`) against a real
 * `jobd serve --tasks DIR`, and the graceful shutdown of a server whose in-process handler is still
 * running: SIGTERM, the shutdown timeout runs out, exit 0, and the job is queued again without the
 * cut-short attempt counting.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JobdClient } from "../../src/client/index.js";
import { waitForJob } from "../client/wait-for-job.js";
import { tempDir } from "../support/temp-dir.js";
import { whySkipped } from "./backends.js";
import { JobdProcess } from "./jobd-process.js";

/** A task directory with an echo task and one that runs until it is aborted. */
function tasksDir(): string {
  const dir = tempDir("e2e-tasks");
  writeFileSync(join(dir, "e2e.echo.mjs"), "export default async (payload) => ({ echo: payload });\n");
  writeFileSync(
    join(dir, "e2e.endless.mjs"),
    "export default (payload, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));\n",
  );
  return dir;
}

async function jobd(args: string[], env: Record<string, string> = {}) {
  const run = JobdProcess.spawn(args, env);
  const exit = await run.exited;
  return { code: exit.code, stdout: run.stdout, stderr: run.stderr };
}

describe("operator commands and --tasks, as processes", () => {
  it("submit, get, list and stats against jobd serve --tasks", async () => {
    const server = await JobdProcess.serve(["--tasks", tasksDir()]);
    const url = server.startup.url;
    const submitted = await jobd(["submit", "e2e.echo", "--payload", '{"a":1}', "--url", url]);
    expect(submitted).toMatchObject({ code: 0, stderr: "" });
    const job = JSON.parse(submitted.stdout);
    await waitForJob(new JobdClient({ url }), job.id, ["completed", "failed"]);

    const got = await jobd(["get", job.id], { JOBD_URL: url });
    expect(JSON.parse(got.stdout)).toMatchObject({
      status: "completed",
      result: { echo: { a: 1 } },
      attempts: 1,
    });
    const listed = await jobd(["list", "--status", "completed", "--url", url]);
    expect(listed.stdout).toMatch(new RegExp(`^${job.id}\\s+e2e\\.echo\\s+default\\s+completed\\s+1/3`, "m"));
    const stats = JSON.parse((await jobd(["stats", "--url", url])).stdout);
    expect(stats.counts).toMatchObject({ completed: 1, queued: 0, processing: 0 });
    const missing = await jobd(["get", "0190a8c4-7f3e-7000-8000-000000000000", "--url", url]);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toMatch(/^jobd: not_found: /);
    const refused = await jobd(["submit", "e2e.echo", "--priority", "1001", "--url", url]);
    expect(refused).toMatchObject({ code: 2, stdout: "" });
    expect(refused.stderr).toMatch(/^jobd: invalid_request: "priority" must be ≤ 1000/);
    const badUrl = await jobd(["stats", "--url", "notaurl"]);
    expect(badUrl).toMatchObject({ code: 2, stdout: "" });
    expect(badUrl.stderr).toMatch(/^jobd: --url must be an http:\/\/ or https:\/\/ URL/);
    expect(await server.kill("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it.skipIf(whySkipped("sqlite") !== null)(
    "SIGTERM with a handler still running: exit 0 after --shutdown-timeout, the job queued again uncounted",
    async () => {
      const dataDir = tempDir("e2e-drain");
      const flags = [
        "--backend",
        "sqlite",
        "--data-dir",
        dataDir,
        "--tasks",
        tasksDir(),
        "--shutdown-timeout",
        "1",
      ];
      const server = await JobdProcess.serve(flags);
      const client = new JobdClient({ url: server.startup.url });
      const job = await client.create({ type: "e2e.endless" });
      await waitForJob(client, job.id, ["processing"]);

      const started = Date.now();
      expect(await server.kill("SIGTERM")).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900); // it waited the shutdown timeout

      const again = await JobdProcess.serve(["--backend", "sqlite", "--data-dir", dataDir]); // no handlers now
      expect(again.startup.recovery).toMatchObject({ recovered: 1, requeued: 0, failed: 0 });
      const after = await new JobdClient({ url: again.startup.url }).get(job.id);
      expect(after).toMatchObject({ status: "queued", attempts: 0, worker_id: null });
      expect(await again.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );
});

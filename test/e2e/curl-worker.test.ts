/**
 * The shell worker of docs/workers.md (curl + jq), taken from the doc as it is and run against the real
 * `jobd serve`: it completes a job with its output, fails one with the work's stderr, and keeps a
 * job's lease alive with heartbeats through work that lasts three times the lease.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { JobdClient } from "../../src/client/index.js";
import { waitForJob } from "../client/wait-for-job.js";
import { tempDir } from "../support/temp-dir.js";
import { JobdProcess } from "./jobd-process.js";

const DOC = join(import.meta.dirname, "..", "..", "docs", "workers.md");
const hasTools = ["curl", "jq"].every((tool) => spawnSync(tool, ["--version"]).status === 0);

/** The first ```bash block of docs/workers.md. */
function workerScript(): string {
  const match = /```bash\n(#!\/usr\/bin\/env bash\n[\s\S]*?)```/.exec(readFileSync(DOC, "utf8"));
  if (!match?.[1]) throw new Error("docs/workers.md has no ```bash block starting with #!/usr/bin/env bash");
  return match[1];
}

describe.skipIf(!hasTools)("the curl worker of docs/workers.md (needs curl and jq)", () => {
  it("completes, fails, and heartbeats through long work", async () => {
    const script = join(tempDir("e2e-curl"), "worker.sh");
    writeFileSync(script, workerScript());
    chmodSync(script, 0o755);
    const server = await JobdProcess.serve([]);
    const client = new JobdClient({ url: server.startup.url });
    let stderr = "";
    const worker = spawn("bash", [script, "text.count"], {
      env: { ...process.env, JOBD_URL: server.startup.url, LEASE_MS: "1500" },
      detached: true, // its own process group, so the heartbeat subshells go with it
      stdio: ["ignore", "ignore", "pipe"],
    });
    worker.stderr.on("data", (chunk) => (stderr += chunk));
    onTestFinished(() => {
      if (worker.pid) process.kill(-worker.pid, "SIGKILL");
    });

    const counted = await client.create({ type: "text.count", payload: { text: "one two three" } });
    expect(await waitForJob(client, counted.id, ["completed", "failed"])).toMatchObject({
      status: "completed",
      result: { words: 3 },
    });
    const failing = await client.create({ type: "text.count", payload: { fail: true }, max_attempts: 1 });
    const failed = await waitForJob(client, failing.id, ["completed", "failed"]);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("asked to fail");
    // 4.5 s of work on a 1.5 s lease: only the heartbeats keep it from expiring
    const slow = await client.create({ type: "text.count", payload: { text: "a b", seconds: 4.5 } });
    expect(await waitForJob(client, slow.id, ["completed", "failed"])).toMatchObject({
      status: "completed",
      attempts: 1,
      result: { words: 2 },
    });
    expect(stderr).toBe("");
  });
});

/**
 * The crash-and-restart scenario, for real: a child process runs jobs through createServer on SQLite and on JSON and
 * is SIGKILLed mid-run, again and again. Before each restart the test reads the store the dead process
 * left and predicts the RecoveryResult exactly; at the end every acknowledged job is completed (none
 * lost) and ran at least once (at-least-once).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, test } from "vitest";
import type { RecoveryResult } from "../../../src/queue/job-queue-api.js";
import {
  openPersistentStore,
  type PersistentBackend,
  unavailableReason,
} from "../../recovery/persistent-stores.js";
import { tempDir } from "../../support/temp-dir.js";

const CHILD = join(import.meta.dirname, "crash-child.ts");
const KILL_ROUNDS = 4;
const JOBS_PER_ROUND = 60;

interface ChildMessage {
  event: "ready" | "acked" | "completed" | "drained";
  recovery?: RecoveryResult;
  ids?: string[];
  id?: string;
  counts?: Record<string, number>;
}

/** Starts the child; `onMessage` sees each line; resolves with its exit code and signal. */
function runChild(args: string[], onMessage: (message: ChildMessage, child: ChildProcess) => void) {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) =>
    onMessage(JSON.parse(line) as ChildMessage, child),
  );
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
}

/** What recovery must report, read from the files the killed process left. */
async function expectedRecovery(backend: PersistentBackend, dir: string): Promise<RecoveryResult> {
  const store = await openPersistentStore(backend, dir);
  const jobs = await store.list();
  await store.close();
  const interrupted = jobs.filter((j) => j.status === "processing" && j.workerId?.startsWith("local:"));
  return {
    recovered: jobs.filter((j) => j.status === "queued").length,
    requeued: interrupted.filter((j) => j.attempts < j.maxAttempts).length,
    failed: interrupted.filter((j) => j.attempts >= j.maxAttempts).length,
    retried: 0,
    pruned: 0,
  };
}

/** Registers the crash-and-restart test for one backend (one test file per backend, so they run in parallel). */
export function crashAndRestart(backend: PersistentBackend): void {
  describe(`crash and restart on ${backend}`, async () => {
    const reason = await unavailableReason(backend);
    if (reason) console.warn(`skipping: ${reason}`);

    test.skipIf(reason)(
      "SIGKILL mid-run, repeatedly: exact recovery counts, every acknowledged job completed",
      { timeout: 90_000 },
      async () => {
        const dir = tempDir(`crash-${backend}`);
        const dataDir = join(dir, "data");
        const runsLog = join(dir, "runs.log");
        const acked = new Set<string>();
        let interruptedRuns = 0;
        let expected: RecoveryResult = { recovered: 0, requeued: 0, failed: 0, retried: 0, pruned: 0 };

        for (let round = 0; round < KILL_ROUNDS; round++) {
          let completions = 0;
          const killAfter = 5 + Math.floor(Math.random() * 20);
          const exit = await runChild(
            [backend, dataDir, runsLog, "produce", String(JOBS_PER_ROUND)],
            (message, child) => {
              if (message.event === "ready") expect(message.recovery).toEqual(expected);
              if (message.event === "acked") for (const id of message.ids ?? []) acked.add(id);
              if (message.event === "completed" && ++completions === killAfter) child.kill("SIGKILL");
            },
          );
          expect(exit.signal, exit.stderr).toBe("SIGKILL");
          expected = await expectedRecovery(backend, dataDir);
          interruptedRuns += expected.requeued + expected.failed;
        }

        let drained: ChildMessage | undefined;
        const exit = await runChild([backend, dataDir, runsLog, "drain"], (message) => {
          if (message.event === "ready") expect(message.recovery).toEqual(expected);
          if (message.event === "drained") drained = message;
        });
        expect(exit.code, exit.stderr).toBe(0);
        expect(drained?.counts).toMatchObject({ queued: 0, processing: 0, failed: 0 });

        const store = await openPersistentStore(backend, dataDir);
        const jobs = new Map((await store.list()).map((job) => [job.id, job]));
        await store.close();
        const runs = readFileSync(runsLog, "utf8").trim().split("\n");
        expect(acked.size).toBeGreaterThan(0);
        for (const id of acked) {
          expect(jobs.get(id)?.status, `acknowledged job ${id}`).toBe("completed");
          expect(runs, `job ${id} ran`).toContain(id);
        }
        // At least one round must have caught runs in flight, or the test proved nothing about requeueing.
        expect(interruptedRuns).toBeGreaterThan(0);
      },
    );
  });
}

/**
 * A job that kills its server every time it runs cannot make it loop forever: each interrupted run
 * counts, and the restart after its last attempt records it `failed`, saying it was interrupted.
 */
export function poisonJob(backend: PersistentBackend): void {
  describe(`a poison job on ${backend}`, async () => {
    const reason = await unavailableReason(backend);
    test.skipIf(reason)(
      "ends failed after max_attempts restarts instead of killing the server forever",
      { timeout: 60_000 },
      async () => {
        const dataDir = join(tempDir(`poison-${backend}`), "data");
        const recoveries: (RecoveryResult | undefined)[] = [];
        const exits: (string | number | null)[] = [];
        for (let start = 0; start < 4; start++) {
          let recovery: RecoveryResult | undefined;
          const exit = await runChild([backend, dataDir, "/dev/null", "poison"], (message) => {
            if (message.event === "ready") recovery = message.recovery;
          });
          recoveries.push(recovery);
          exits.push(exit.signal ?? exit.code);
        }
        expect(exits).toEqual(["SIGKILL", "SIGKILL", "SIGKILL", 0]);
        const zero = { recovered: 0, retried: 0, pruned: 0 };
        expect(recoveries).toEqual([
          { ...zero, requeued: 0, failed: 0 },
          { ...zero, requeued: 1, failed: 0 },
          { ...zero, requeued: 1, failed: 0 },
          { ...zero, requeued: 0, failed: 1 },
        ]);
        const store = await openPersistentStore(backend, dataDir);
        const [job] = await store.list();
        await store.close();
        expect(job).toMatchObject({ type: "poison", status: "failed", attempts: 3 });
        expect(job?.error).toContain("interrupted: server stopped during its last attempt (3 of 3)");
      },
    );
  });
}

/**
 * `synchronous=NORMAL` promises "process-crash" durability: a write acknowledged before the process is
 * SIGKILLed is there after reopening, though SQLite did not fsync it. (The shared crash test in
 * test/store/durability/ runs SQLite at its default, FULL.) A child process creates jobs from several
 * concurrent loops, printing each id once its create resolved, and is killed mid-stream, five times.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { SqliteJobStore } from "../../src/store/sqlite/sqlite-job-store.js";
import { tempDir } from "../support/temp-dir.js";

const STORE_MODULE = fileURLToPath(new URL("../../src/store/sqlite/sqlite-job-store.ts", import.meta.url));
const FACTORY_MODULE = fileURLToPath(new URL("../support/job-factory.ts", import.meta.url));
const ROUNDS = 5;

/** The child: opens the store with synchronous=NORMAL and creates jobs until killed. */
const childSource = (dataDir: string) => `
  import { SqliteJobStore } from ${JSON.stringify(STORE_MODULE)};
  import { makeJob } from ${JSON.stringify(FACTORY_MODULE)};
  const store = SqliteJobStore.open({ dataDir: ${JSON.stringify(dataDir)}, sync: "normal" });
  const loop = async () => {
    for (;;) {
      const { job } = await store.create(makeJob({ payload: { text: "x".repeat(200) } }));
      process.stdout.write(job.id + "\\n");
    }
  };
  await Promise.all([loop(), loop(), loop(), loop()]);
`;

/** Runs the child until it has acknowledged `acks` creates, SIGKILLs it, and returns the acknowledged ids. */
function runAndKill(dataDir: string, acks: number): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", childSource(dataDir)],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
    if (out.split("\n").length > acks) child.kill("SIGKILL");
  });
  return new Promise((resolve, reject) =>
    child.once("close", (_code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`the child exited by itself: ${stderr}`));
      else resolve(out.split("\n").slice(0, -1)); // the last piece may be a torn line
    }),
  );
}

test(`synchronous=NORMAL: every acknowledged create survives ${ROUNDS} SIGKILLs`, {
  timeout: 60_000,
}, async () => {
  const dir = tempDir("sqlite-crash");
  const acknowledged: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    acknowledged.push(...(await runAndKill(dir, 200 + round * 50)));
    const store = SqliteJobStore.open({ dataDir: dir, sync: "normal" });
    const stored = new Set((await store.list()).map((job) => job.id));
    await store.close();
    expect(
      acknowledged.filter((id) => !stored.has(id)),
      `round ${round + 1}`,
    ).toEqual([]);
  }
  expect(acknowledged.length).toBeGreaterThan(ROUNDS * 200);
});

/**
 * Durability with real processes: a child writes jobs through the store and is SIGKILLed at a random
 * moment, 15 times over one data directory; after each kill the store is reopened and every write the
 * child had acknowledged must be present and intact (see AcknowledgedModel). Runs for every backend
 * that stores files here: json, and sqlite once src/store/sqlite/ exists.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, test } from "vitest";
import { resolvePersistenceConfig, type StorageBackend } from "../../../src/config/persistence.js";
import { openStore } from "../../../src/store/create-store.js";
import { tempDir } from "../../support/temp-dir.js";
import { backendSelected } from "../conformance/index.js";
import { AcknowledgedModel } from "./acknowledged-model.js";
import type { ChildLine } from "./protocol.js";

const ROUNDS = 15;
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const sqliteExists = existsSync(fileURLToPath(new URL("../../../src/store/sqlite/", import.meta.url)));
const BACKENDS: StorageBackend[] = sqliteExists ? ["json", "sqlite"] : ["json"];

/** Runs the child until it has acknowledged something and a random 30–300 ms have passed, then SIGKILLs it. */
async function runAndKill(backend: StorageBackend, dir: string, model: AcknowledgedModel): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, backend, dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  let acks = 0;
  let buffered = "";
  const killAfter = 30 + Math.random() * 270;
  let timer: NodeJS.Timeout | undefined;
  child.stdout?.setEncoding("utf8"); // decodes a character split across two chunks whole
  child.stdout?.on("data", (chunk: string) => {
    const lines = (buffered + chunk).split("\n");
    buffered = lines.pop() ?? "";
    for (const text of lines) {
      const line = JSON.parse(text) as ChildLine;
      model.record(line);
      if ("a" in line) acks++;
      if ("a" in line && !timer) timer = setTimeout(() => child.kill("SIGKILL"), killAfter);
    }
  });
  const { code, signal } = await exited(child);
  clearTimeout(timer);
  if (signal !== "SIGKILL") throw new Error(`the child exited by itself (code ${code}): ${stderr}`);
  return acks;
}

/** Resolves once the child is gone AND its stdout is read to the end ("exit" may come before the last lines). */
function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
}

// The backends run side by side: each round's wait is mostly a child starting up.
describe.concurrent("durability: SIGKILL at random moments", () => {
  for (const backend of BACKENDS)
    test.skipIf(!backendSelected(backend))(
      `${backend}: every acknowledged write survives ${ROUNDS} kills`,
      { timeout: 120_000 },
      async (t) => {
        const dir = tempDir(`crash-${backend}`, t);
        const model = new AcknowledgedModel();
        const config = resolvePersistenceConfig({ enabled: true, backend, storagePath: dir });
        for (let round = 1; round <= ROUNDS; round++) {
          const acks = await runAndKill(backend, dir, model);
          const store = await openStore(config, { logger: { warn: () => {} } });
          const stored = await store.list();
          await store.close();
          t.expect(model.check(stored), `round ${round} (${acks} acknowledged writes)`).toEqual([]);
          model.reset(stored);
        }
        console.info(`${backend}: ${model.acknowledged} acknowledged writes checked over ${ROUNDS} SIGKILLs`);
        t.expect(model.acknowledged).toBeGreaterThan(ROUNDS);
      },
    );
});

/**
 * One backend's measurements, in a process of its own so that its peak RSS is its own:
 * `node --import tsx bench/store/run-backend.ts <backend> <throughput|large> '<settings json>'`.
 * Prints one line, `RESULT <json>`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobStore } from "../../src/store/job-store.js";
import { findBackend, openBenchStore } from "./backends.js";
import { type LargeStoreFigures, measureLargeStore } from "./history.js";
import type { BenchSettings } from "./settings.js";
import { claimAndComplete, createBatched, createSingly, type Rate } from "./workloads.js";

export interface ThroughputFigures {
  createSingly: Rate;
  createBatched: Rate;
  claimComplete: Rate;
}

export type BackendResult =
  | { backend: string; skipped: string }
  | {
      backend: string;
      durability: string;
      maxRssMiB: number;
      throughput?: ThroughputFigures;
      large?: LargeStoreFigures;
    };

async function throughput(store: JobStore, settings: BenchSettings): Promise<ThroughputFigures> {
  const created = await createSingly(store, settings.jobs, settings.inFlight);
  const batched = await createBatched(store, settings.jobs, settings.batchSize);
  const claimed = await claimAndComplete(store, settings.jobs, settings.workers);
  return { createSingly: created, createBatched: batched, claimComplete: claimed };
}

async function run(name: string, phase: string, settings: BenchSettings): Promise<BackendResult> {
  const backend = findBackend(name);
  const dir = mkdtempSync(join(tmpdir(), `jobd-bench-store-${name}-`));
  const open = () => openBenchStore(backend, join(dir, "data"));
  try {
    const store = await open().catch((error: Error) => error);
    if (store instanceof Error) return { backend: name, skipped: store.message };
    const durability = store.durability;
    let figures: { throughput: ThroughputFigures } | { large: LargeStoreFigures };
    if (phase === "throughput") {
      figures = { throughput: await throughput(store, settings) };
      await store.close();
    } else {
      await store.close();
      if (!store.capabilities.persistent)
        return { backend: name, skipped: "not persistent: nothing to reopen" };
      figures = {
        large: await measureLargeStore(open, settings.largeJobs, settings.samples, settings.workers),
      };
    }
    return { backend: name, durability, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...figures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [name = "", phase = "throughput", json = "{}"] = process.argv.slice(2);
const result = await run(name, phase, JSON.parse(json) as BenchSettings);
console.log(`RESULT ${JSON.stringify(result)}`);

/**
 * `npm run bench:store`: measures every JobStore backend this build has — creates one by one and in
 * batches, claim+complete, a million-job store's history pages, counts and open time, peak RSS, and
 * the fsyncs group commit saves — and writes the figures to the "Store" section of docs/benchmarks.md.
 * See bench/store/settings.ts for the flags.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describeMachine } from "./compare/machine.js";
import { countFsyncs, runScript } from "./store/processes.js";
import {
  type FsyncFigures,
  renderStoreSection,
  type StoreReport,
  writeStoreSection,
} from "./store/report.js";
import type { BackendResult } from "./store/run-backend.js";
import { readSettings } from "./store/settings.js";

const here = import.meta.dirname;
const RUN_BACKEND = join(here, "store", "run-backend.ts");
const FSYNC_PROBE = join(here, "store", "fsync-probe.ts");
const FSYNC_CREATES = 1_000;

function runBackend(name: string, phase: "throughput" | "large", settings: object): BackendResult {
  console.error(`· ${name}: ${phase}…`);
  const result = runScript<BackendResult>(RUN_BACKEND, [name, phase, JSON.stringify(settings)]);
  console.error(`  ${JSON.stringify(result)}`);
  return result;
}

/** strace-counted fsyncs of FSYNC_CREATES creates, concurrent and sequential, minus open and close. */
function measureFsyncs(): FsyncFigures | null {
  console.error("· fsync probe (strace)…");
  const probe = (mode: string) => countFsyncs(FSYNC_PROBE, [mode, String(FSYNC_CREATES)]);
  const base = probe("none");
  const concurrent = probe("concurrent");
  const sequential = probe("sequential");
  if (!base || !concurrent || !sequential) return null;
  const figures = (p: { fsyncs: number; result: unknown }) => ({
    fsyncs: p.fsyncs - base.fsyncs,
    commits: p.result as number,
  });
  return { count: FSYNC_CREATES, concurrent: figures(concurrent), sequential: figures(sequential) };
}

const settings = readSettings();
const started = performance.now();
const loadAtStart = loadavg()[0] as number;
const report: StoreReport = {
  date: new Date().toISOString().slice(0, 10),
  machine: describeMachine(),
  sqliteVersion: (new Database(":memory:").prepare("SELECT sqlite_version()").pluck().get() as string) ?? "?",
  settings,
  throughput: settings.backends.map((name) => runBackend(name, "throughput", settings)),
  large: settings.largeBackends.map((name) => runBackend(name, "large", settings)),
  fsync: measureFsyncs(),
  load: { start: loadAtStart, end: loadavg()[0] as number },
};
const section = renderStoreSection(report);
console.log(section);
if (settings.writeDocs) writeStoreSection(join(here, "..", "docs", "benchmarks.md"), section);
console.error(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);

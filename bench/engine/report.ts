/**
 * The "Engine" section of docs/benchmarks.md: a table of median throughput per backend and scenario. The
 * section sits between two markers so a new run replaces it and leaves the rest of the file alone.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { ScenarioName, ScenarioParams } from "./scenarios.js";

export interface BackendResult {
  backend: string;
  /** Per scenario, each run's jobs per second; absent when skipped. */
  rates?: Record<ScenarioName, number[]>;
  /** Per scenario, each run's store transactions (SQLite only: each one fsync at synchronous=full). */
  commits?: Record<ScenarioName, number[]>;
  skipped?: string;
}

const START = "<!-- engine:start -->";
const END = "<!-- engine:end -->";

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const rate = (values: number[] | undefined) =>
  values
    ? `${Math.round(median(values)).toLocaleString("en")} (${values.map((v) => Math.round(v)).join(", ")})`
    : "–";

const commits = (values: Record<ScenarioName, number[]> | undefined) =>
  values?.drain.length
    ? `${Math.round(median(values["enqueue+drain"]))} / ${Math.round(median(values.drain))}`
    : "–";

/** The section's markdown, markers included. */
export function engineSection(results: BackendResult[], params: ScenarioParams, runs: number): string {
  const rows = results.map((r) =>
    r.rates
      ? `| ${r.backend} | ${rate(r.rates["enqueue+drain"])} | ${rate(r.rates.drain)} | ${commits(r.commits)} |`
      : `| ${r.backend} | skipped: ${r.skipped} | | |`,
  );
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return [
    START,
    "## Engine",
    "",
    `End-to-end throughput of no-op jobs through the in-process handlers (JobQueue → dispatcher → executor →`,
    `store), in jobs per second: the median of ${runs} runs, each run's figure in brackets. ${params.jobs.toLocaleString("en")} jobs`,
    `per run at concurrency ${params.concurrency}; **enqueue+drain** enqueues them in batches of ${params.batchSize} while they`,
    "run (first enqueue → last completion); **drain** runs jobs stored beforehand (start → last completion).",
    "Every job takes two durable writes (its claim and its outcome); SQLite runs with `synchronous=full`, and",
    "its commit count shows the group commit at work: the claim of the next jobs shares a transaction with",
    "the outcomes that freed their slots, so 10,000 jobs at concurrency 10 take about 1,000 commits, not 20,000.",
    "",
    "| backend | enqueue+drain jobs/s | drain jobs/s | commits (enqueue+drain / drain) |",
    "|---|---|---|---|",
    ...rows,
    "",
    "What profiling the hot path found and fixed (`node --cpu-prof`, 100,000 no-op jobs on memory): an",
    "AbortController made for every run (8% of CPU; now made only when a handler reads `ctx.signal`),",
    "`ctx.job`/`ctx.log` built for every run (≈10%; now on first use), and — on SQLite — the next claim",
    "waiting for a later event-loop turn, which cost a second commit (fsync) per cycle (now issued before",
    "the group commit, so it shares it). With those gone, the memory figure is the store's own bookkeeping",
    "and garbage collection; the persistent figures are the disk's fsync latency divided by the batch.",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, Node ${process.version}, load average`,
    `${loadavg()[0]?.toFixed(1)} at the end of the run (the spread within a row is mostly other processes on the machine and`,
    "the disk's fsync latency under them). Run it: `npm run bench`",
    "(`-- --runs 5 --jobs 10000 --backends memory,sqlite --no-write`).",
    END,
  ].join("\n");
}

/** The section as Biome formats Markdown (aligned tables), so `npm run lint` stays green after a run. */
function formatted(section: string): string {
  const biome = join(process.cwd(), "node_modules", ".bin", "biome");
  const output = execFileSync(biome, ["format", "--stdin-file-path=engine-section.md"], { input: section });
  return output.toString().trimEnd();
}

/** Replaces the Engine section in `file` (or appends it). */
export function writeEngineSection(file: string, rawSection: string): void {
  const section = formatted(rawSection);
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + END.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

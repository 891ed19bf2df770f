/** The benchmark's figures as the "Store" section of docs/benchmarks.md. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { MachineInfo } from "../compare/machine.js";
import type { BackendResult } from "./run-backend.js";
import type { BenchSettings } from "./settings.js";
import type { Rate } from "./workloads.js";

/** What strace counted for N creates on SQLite (synchronous=FULL), open and close subtracted. */
export interface FsyncFigures {
  count: number;
  concurrent: { fsyncs: number; commits: number };
  sequential: { fsyncs: number; commits: number };
}

export interface StoreReport {
  date: string;
  machine: MachineInfo;
  sqliteVersion: string;
  settings: BenchSettings;
  throughput: BackendResult[];
  large: BackendResult[];
  fsync: FsyncFigures | null;
  /** 1-minute load average when the run started and when it ended: other work on the machine. */
  load: { start: number; end: number };
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const commits = (n: number) => `${int(n)} commit${n === 1 ? "" : "s"}`;
const rate = (r: Rate) =>
  `${int(r.perSecond)}/s, ${int(r.cpuMicrosPerOp)} µs CPU${r.commits === undefined ? "" : `, ${commits(r.commits)}`}`;

function throughputTable(results: readonly BackendResult[], s: BenchSettings): string[] {
  const rows = [
    `| backend | durability | create, ${s.inFlight} in flight | create latency p50 / p99 | createMany of ${int(s.batchSize)} | claim+complete, ${s.workers} workers | peak RSS |`,
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    if ("skipped" in r) rows.push(`| ${r.backend} | skipped: ${r.skipped} | | | | | |`);
    else if (r.throughput) {
      const t = r.throughput;
      rows.push(
        `| ${r.backend} | ${r.durability} | ${rate(t.createSingly)} | ${ms(t.createSingly.p50Ms ?? 0)} / ${ms(t.createSingly.p99Ms ?? 0)} ms | ${rate(t.createBatched)} | ${rate(t.claimComplete)} | ${int(r.maxRssMiB)} MiB |`,
      );
    }
  }
  return rows;
}

function largeSection(r: BackendResult): string[] {
  if ("skipped" in r) return [`${r.backend}: skipped (${r.skipped}).`];
  const l = r.large;
  if (!l) return [];
  return [
    `**${r.backend}, ${int(l.total)} stored jobs** (80% completed, 10% failed, 5% cancelled, 5% queued; 10 types, 4 queues; seeded in ${l.seedSeconds.toFixed(1)} s, ${int(l.total / l.seedSeconds)} jobs/s in createMany batches of 10,000). Open: ${ms(l.openMs)} ms, first counts() after opening: ${ms(l.firstCountsMs)} ms. Claim+complete at this size: ${rate(l.claimComplete)}. Peak RSS of the process: ${int(r.maxRssMiB)} MiB.`,
    "",
    "| read (limit 50) | p50 | p99 |",
    "|---|---|---|",
    ...l.reads.map((read) => `| ${read.label} | ${ms(read.p50Ms)} ms | ${ms(read.p99Ms)} ms |`),
  ];
}

function fsyncLines(f: FsyncFigures | null): string[] {
  if (!f) return ["Group commit: strace was not available, fsyncs not counted."];
  return [
    `Group commit, counted with strace (fsync + fdatasync, open and close subtracted), SQLite synchronous=FULL: ${int(f.count)} concurrent creates made **${int(f.concurrent.fsyncs)} fsyncs** in ${commits(f.concurrent.commits)}; the same ${int(f.count)} creates one after another made ${int(f.sequential.fsyncs)} fsyncs in ${commits(f.sequential.commits)}.`,
  ];
}

/** The section's markdown, from its `## Store` heading on. */
export function renderStoreSection(report: StoreReport): string {
  const { machine: m, settings: s } = report;
  return [
    "## Store",
    "",
    `Measured by \`npm run bench:store\` (bench/store.ts) on ${report.date}: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB memory, ${m.platform}, Node ${m.node}, SQLite ${report.sqliteVersion}; the disk's write+fsync takes ${ms(m.fsyncMedianMs)} ms (median, p99 ${ms(m.fsyncP99Ms)} ms). Each backend runs in its own process (so the peak RSS is its own) on a fresh data directory; every figure is for durable writes as the backend defines them. The machine was shared: its 1-minute load average was ${report.load.start.toFixed(1)} when the run started and ${report.load.end.toFixed(1)} when it ended (on ${m.cpus} cores), so these are lower bounds. On this machine, the rate of one configuration varied up to 3× between runs on the same day (other sessions' tests and fsyncs share the cores and the disk); the CPU per job varied far less, so compare backends by it.`,
    "",
    `Write workloads, ${int(s.jobs)} jobs each, one after another on the same store (creates singly, then in batches, then claim+complete of ${int(s.jobs)} of them). Each cell: jobs per second; CPU time (user + system) of the process per job, which a busy machine disturbs less than the rate; and for SQLite the transactions committed, each one fsync of the WAL at synchronous=FULL:`,
    "",
    ...throughputTable(report.throughput, s),
    "",
    ...fsyncLines(report.fsync),
    "",
    ...report.large.flatMap((r) => [...largeSection(r), ""]),
    `Scale with flags or env: \`npm run bench:store -- --jobs 10000 --large-jobs 100000 --backends sqlite-full\` (\`--help\` lists them).`,
    "",
  ].join("\n");
}

/** Replaces (or appends) the `## Store` section of `file`, leaving the other sections alone. */
export function writeStoreSection(file: string, section: string): void {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = text.search(/^## Store\s*$/m);
  if (start === -1) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const rest = text.slice(start + 1);
  const nextHeading = rest.search(/^## /m);
  const end = nextHeading === -1 ? text.length : start + 1 + nextHeading;
  writeFileSync(file, `${text.slice(0, start)}${section}${nextHeading === -1 ? "" : `\n${text.slice(end)}`}`);
}

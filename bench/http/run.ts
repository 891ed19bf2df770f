/**
 * `npm run bench:http`: HTTP throughput of `jobd serve --backend sqlite` (synchronous=FULL) with
 * autocannon and remote workers on 127.0.0.1 — single creates, batch creates, lease → complete —
 * the median of N runs. `--baseline <rev>` measures that commit side by side with this tree (or with
 * `--after <rev>`, another commit: others' uncommitted work then stays out of the comparison).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { startJobdServe } from "../compare/jobd-serve-process.js";
import { describeMachine } from "../compare/machine.js";
import { spread } from "../compare/stats.js";
import { makeTempDir, removeTempDir } from "../compare/temp-dir.js";
import { type Checkout, checkoutOf, workingTree } from "./checkouts.js";
import { closeConnections } from "./post-json.js";
import {
  renderHttpSection,
  type Sample,
  type Samples,
  WORKLOAD_IDS,
  type WorkloadId,
  writeHttpSection,
} from "./report.js";
import { processCpuMs } from "./server-cpu.js";
import {
  batchCreates,
  leaseComplete,
  singleCreates,
  type Workload,
  type WorkloadSettings,
} from "./workloads.js";

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    duration: { type: "string", default: "10" },
    baseline: { type: "string" },
    after: { type: "string" },
    workers: { type: "string", default: "4" },
    "max-jobs": { type: "string", default: "10" },
    workloads: { type: "string", default: WORKLOAD_IDS.join(",") },
    "no-docs": { type: "boolean", default: false },
  },
});

const runs = Number(flags.runs);
const settings: WorkloadSettings = {
  durationS: Number(flags.duration),
  singleConnections: 50,
  batchConnections: 4,
  batchSize: 1_000,
  workers: Number(flags.workers),
  maxJobs: Number(flags["max-jobs"]),
  workerJobs: 30_000,
};

const selected = WORKLOAD_IDS.filter((id) => (flags.workloads ?? "").split(",").includes(id));

const WORKLOADS: Record<WorkloadId, Workload> = {
  single: singleCreates,
  batch: batchCreates,
  worker: leaseComplete,
};

const log = (line: string) => process.stderr.write(`${line}\n`);

/** One run of every selected workload against a fresh server of `checkout`. */
async function runOnce(checkout: Checkout, into: Record<WorkloadId, Sample[]>): Promise<void> {
  const dir = makeTempDir("jobd-http");
  const server = await startJobdServe(dir, [], checkout.serveScript);
  try {
    for (const id of selected) {
      const workload = WORKLOADS[id];
      await workload.prepare?.(server.url, settings);
      const cpuBefore = processCpuMs(server.child.pid);
      const { jobs, seconds } = await workload.measure(server.url, settings);
      const sample = {
        jobsPerSec: jobs / seconds,
        cpuUsPerJob: ((processCpuMs(server.child.pid) - cpuBefore) * 1000) / jobs,
      };
      into[id].push(sample);
      log(
        `  ${checkout.label} ${id}: ${Math.round(sample.jobsPerSec)} jobs/s, server CPU ${sample.cpuUsPerJob.toFixed(1)} µs/job`,
      );
    }
  } finally {
    await server.stop();
    removeTempDir(dir);
  }
}

const machine = describeMachine();
const checkouts = [
  ...(flags.baseline ? [checkoutOf(flags.baseline, "baseline")] : []),
  flags.after ? checkoutOf(flags.after, "after") : workingTree(),
];
const samples: Samples = new Map(checkouts.map((c) => [c.label, { single: [], batch: [], worker: [] }]));
try {
  for (let run = 1; run <= runs; run++) {
    log(`run ${run}/${runs} (load average ${os.loadavg()[0]?.toFixed(1)})`);
    for (const checkout of checkouts)
      await runOnce(checkout, samples.get(checkout.label) as Record<WorkloadId, Sample[]>);
  }
} finally {
  closeConnections();
  for (const checkout of checkouts) checkout.dispose();
}

for (const [label, byId] of samples)
  log(
    `${label}: ${selected.map((id) => `${id} ${Math.round(spread(byId[id].map((x) => x.jobsPerSec)).median)}`).join(", ")} jobs/s`,
  );
const section = renderHttpSection(samples, selected, settings, machine, os.loadavg()[0] ?? 0, runs);
if (flags["no-docs"]) process.stdout.write(`${section}\n`);
else writeHttpSection(new URL("../../docs/benchmarks.md", import.meta.url).pathname, section);

/**
 * `npm run bench:compare`: jobd side by side with the queues users would pick instead, in one
 * invocation, on this machine. See bench/compare/README.md for what is measured and how.
 */
import fs from "node:fs";
import os from "node:os";
import type { BenchSystem } from "./adapter.js";
import { parseRunnerOptions, USAGE } from "./cli-options.js";
import { measureHttpCreate } from "./http-create.js";
import { describeMachine } from "./machine.js";
import { renderCompareSection } from "./report/markdown.js";
import { writeCompareDocs, writeCompareSection } from "./report/write-docs.js";
import type { BenchResults, SystemFigures, SystemInfo, WorkloadResult } from "./results.js";
import { loadSystem } from "./systems.js";
import { drainWorkload } from "./workloads/drain.js";
import { recoveryWorkload } from "./workloads/recovery.js";
import { singleEnqueueWorkload } from "./workloads/single-enqueue.js";
import { throughputWorkload } from "./workloads/throughput.js";
import type { Workload, WorkloadSizes } from "./workloads/workload.js";

const WORKLOADS: Workload[] = [throughputWorkload, singleEnqueueWorkload, drainWorkload, recoveryWorkload];

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function loadSystems(ids: string[]): Promise<SystemInfo[]> {
  const infos: SystemInfo[] = [];
  for (const id of ids) {
    const system = await loadSystem(id);
    const unavailable = await system.unavailableReason();
    const version = unavailable ? "" : await system.version();
    if (unavailable) log(`skip ${id}: ${unavailable}`);
    infos.push({ system, version, ...(unavailable ? { unavailable } : {}) });
  }
  return infos;
}

/** Runs one workload: every run goes through all systems in turn, so drift hits them alike. */
async function runWorkload(
  workload: Workload,
  systems: SystemInfo[],
  runs: number,
  sizes: WorkloadSizes,
): Promise<WorkloadResult> {
  const bySystem = new Map<string, SystemFigures>();
  for (const { system, unavailable } of systems) {
    const skipped = unavailable ?? system.skips?.[workload.id] ?? workload.notApplicable(system);
    bySystem.set(system.id, { samples: {}, ...(skipped ? { skipped } : {}) });
  }
  for (let run = 1; run <= runs; run++) {
    for (const { system } of systems) {
      const figures = bySystem.get(system.id) as SystemFigures;
      if (figures.skipped || figures.error) continue;
      try {
        const sample = await runWithOneRetry(workload, system, sizes);
        for (const [key, value] of Object.entries(sample)) {
          figures.samples[key] = [...(figures.samples[key] ?? []), value];
        }
        log(`${workload.id} run ${run}/${runs} ${system.id}: ${formatSample(sample)}`);
      } catch (error) {
        figures.error = (error as Error).message.split("\n")[0];
        log(`${workload.id} ${system.id} FAILED: ${(error as Error).stack}`);
      }
    }
  }
  return { workload, bySystem };
}

/** A failed run is tried once more (a server that did not start, a flaky moment); then it counts as failed. */
async function runWithOneRetry(workload: Workload, system: BenchSystem, sizes: WorkloadSizes) {
  try {
    return await workload.runOnce(system, sizes);
  } catch (error) {
    log(
      `${workload.id} ${system.id}: run failed, trying once more: ${(error as Error).message.split("\n")[0]}`,
    );
    return workload.runOnce(system, sizes);
  }
}

function formatSample(sample: Record<string, number>): string {
  return Object.entries(sample)
    .map(([key, value]) => `${key}=${value.toFixed(value < 10 ? 2 : 0)}`)
    .join(" ");
}

/** Runs each system's `prepare` (e.g. Redis AOF on); the undos also run on Ctrl-C or SIGTERM. */
async function prepareSystems(systems: SystemInfo[], notes: string[]): Promise<() => Promise<void>> {
  const undos: Array<() => Promise<void>> = [];
  const undoAll = async () => {
    for (const undo of undos.splice(0)) await undo();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: restoring server settings before exiting`);
      void undoAll().finally(() => process.exit(130));
    });
  }
  for (const { system, unavailable } of systems) {
    if (unavailable || !system.prepare) continue;
    const { undo, note } = await system.prepare();
    undos.push(undo);
    notes.push(note);
    log(note);
  }
  return undoAll;
}

async function main(): Promise<void> {
  const options = parseRunnerOptions(process.argv.slice(2));
  if (options.help) return void process.stdout.write(`${USAGE}\n`);
  if (options.docsFrom) return writeCompareSection(fs.readFileSync(options.docsFrom, "utf8"));
  const startedAt = new Date();
  const machine = describeMachine();
  log(
    `machine: ${machine.cpus} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `fsync ${machine.fsyncMedianMs.toFixed(3)} ms, load ${machine.loadAverage.toFixed(1)}`,
  );
  const systems = await loadSystems(options.systemIds);
  const notes: string[] = [];
  const workloads: WorkloadResult[] = [];
  let httpCreate: BenchResults["httpCreate"];
  const undoAll = await prepareSystems(systems, notes);
  try {
    for (const workload of WORKLOADS.filter((w) => options.workloadIds.includes(w.id))) {
      workloads.push(await runWorkload(workload, systems, options.runs, options.sizes));
    }
    if (options.workloadIds.includes("HTTP") && options.systemIds.includes("jobd-http-sqlite")) {
      httpCreate = await measureHttpCreate(options.runs, options.quick, log);
    }
  } finally {
    await undoAll();
  }
  const results: BenchResults = {
    startedAt,
    finishedAt: new Date(),
    finalLoadAverage: os.loadavg()[0] ?? 0,
    machine,
    sizes: options.sizes,
    runs: options.runs,
    systems,
    workloads,
    notes,
    ...(httpCreate ? { httpCreate } : {}),
  };
  process.stdout.write(`${renderCompareSection(results)}\n`);
  if (options.writeDocs) writeCompareDocs(results);
}

main().catch((error: Error) => {
  log(error.stack ?? String(error));
  process.exitCode = 1;
});

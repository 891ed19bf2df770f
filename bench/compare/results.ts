/** What one invocation measured, as the reports read it. */
import type { BenchSystem } from "./adapter.js";
import type { MachineInfo } from "./machine.js";
import type { Workload, WorkloadSizes } from "./workloads/workload.js";

/** One system in one workload: every run's figures, or why it did not run. */
export interface SystemFigures {
  /** Metric key → one value per run. */
  samples: Record<string, number[]>;
  /** Not run: server unreachable, or the workload does not apply. */
  skipped?: string;
  /** Ran and failed. */
  error?: string;
}

export interface WorkloadResult {
  workload: Workload;
  bySystem: Map<string, SystemFigures>;
}

/** A system as the report shows it. */
export interface SystemInfo {
  system: BenchSystem;
  version: string;
  /** Set when the system was skipped for the whole invocation. */
  unavailable?: string;
}

/** HTTP create throughput against `jobd serve` (autocannon). */
export interface HttpCreateResult {
  singleJobsPerSec: number[];
  batchJobsPerSec: number[];
  connections: number;
  batchConnections: number;
  batchSize: number;
  durationS: number;
  skipped?: string;
}

export interface BenchResults {
  startedAt: Date;
  finishedAt: Date;
  /** 1-minute load average at the end. */
  finalLoadAverage: number;
  machine: MachineInfo;
  sizes: WorkloadSizes;
  runs: number;
  systems: SystemInfo[];
  workloads: WorkloadResult[];
  httpCreate?: HttpCreateResult;
  /** Sentences printed with the results (e.g. the Redis settings switch). */
  notes: string[];
}

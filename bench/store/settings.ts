/** The benchmark's sizes: defaults keep a run under ~5 minutes on 2 cores; flags or env scale them. */
import { parseArgs } from "node:util";

export interface BenchSettings {
  /** Jobs per write workload (create singly, create batched, claim+complete). */
  jobs: number;
  /** Single creates outstanding at once. */
  inFlight: number;
  batchSize: number;
  /** Concurrent claim+complete loops. */
  workers: number;
  /** Jobs in the large store (history, counts, open time). */
  largeJobs: number;
  /** Runs of each timed read on the large store. */
  samples: number;
  /** Backends to measure, by name. */
  backends: string[];
  /** Backends whose large store is also measured (SQLite full by default). */
  largeBackends: string[];
  /** Update the "Store" section of docs/benchmarks.md. */
  writeDocs: boolean;
}

const DEFAULTS = {
  jobs: 100_000,
  inFlight: 100,
  batchSize: 1_000,
  workers: 100,
  largeJobs: 1_000_000,
  samples: 200,
  backends: "memory,json,sqlite-full,sqlite-normal",
  largeBackends: "sqlite-full",
};

const USAGE = `npm run bench:store -- [--jobs N] [--in-flight N] [--batch-size N] [--workers N]
  [--large-jobs N] [--samples N] [--backends a,b] [--large-backends a,b] [--no-docs]
Each flag can also be given as BENCH_STORE_<NAME> (e.g. BENCH_STORE_JOBS=10000).`;

/** Reads flags, then `BENCH_STORE_*` variables, then defaults. */
export function readSettings(argv: string[] = process.argv.slice(2)): BenchSettings {
  const names = [
    "jobs",
    "in-flight",
    "batch-size",
    "workers",
    "large-jobs",
    "samples",
    "backends",
    "large-backends",
  ];
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(names.map((name) => [name, { type: "string" as const }])),
      "no-docs": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const pick = (name: string, fallback: string | number) =>
    String(
      (values as Record<string, unknown>)[name] ??
        process.env[`BENCH_STORE_${name.toUpperCase().replaceAll("-", "_")}`] ??
        fallback,
    );
  const int = (name: string, fallback: number) => {
    const value = Number(pick(name, fallback));
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} must be a positive integer\n${USAGE}`);
    return value;
  };
  return {
    jobs: int("jobs", DEFAULTS.jobs),
    inFlight: int("in-flight", DEFAULTS.inFlight),
    batchSize: int("batch-size", DEFAULTS.batchSize),
    workers: int("workers", DEFAULTS.workers),
    largeJobs: int("large-jobs", DEFAULTS.largeJobs),
    samples: int("samples", DEFAULTS.samples),
    backends: pick("backends", DEFAULTS.backends).split(","),
    largeBackends: pick("large-backends", DEFAULTS.largeBackends).split(","),
    writeDocs: !values["no-docs"],
  };
}

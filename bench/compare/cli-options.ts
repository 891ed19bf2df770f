/**
 * The runner's flags: `--systems a,b`, `--workloads W1,W3`, `--runs N`, `--quick`, `--no-docs`,
 * `--docs-from FILE` (put a saved section back into docs/benchmarks.md without running anything) and
 * `--help`.
 */
import { parseArgs } from "node:util";
import { SYSTEM_IDS } from "./systems.js";
import type { WorkloadSizes } from "./workloads/workload.js";

/** What `--help` prints. */
export const USAGE = `npm run bench:compare -- [flags]
  --systems a,b        systems to run (default: all): ${SYSTEM_IDS.join(", ")}
  --workloads W1,W3    workloads to run (default: all): W1, W2, W3, W4, HTTP
  --runs N             runs per figure (default 3; 1 with --quick)
  --quick              small sizes, for a smoke run
  --no-docs            print the section, leave docs/benchmarks.md and the SVG alone
  --docs-from FILE     put a saved section (bench/results/compare-section.md) back into the docs
  --help               this text`;

export interface RunnerOptions {
  systemIds: string[];
  workloadIds: string[];
  runs: number;
  sizes: WorkloadSizes;
  /** Write docs/benchmarks.md and the SVG (off for profiling runs). */
  writeDocs: boolean;
  quick: boolean;
  /** Only put a saved section (from an earlier run) back into docs/benchmarks.md. */
  docsFrom: string | undefined;
  help: boolean;
}

const FULL_SIZES: WorkloadSizes = {
  throughputJobs: 10_000,
  singleEnqueues: 2_000,
  drainJobs: 10_000,
  recoveryJobs: 100_000,
  drainCapMs: 10_000,
  recoveryCapMs: 15_000,
};
const QUICK_SIZES: WorkloadSizes = {
  throughputJobs: 2_000,
  singleEnqueues: 300,
  drainJobs: 2_000,
  recoveryJobs: 10_000,
  drainCapMs: 8_000,
  recoveryCapMs: 10_000,
};
const ALL_WORKLOADS = ["W1", "W2", "W3", "W4", "HTTP"];

function list(value: string | undefined, known: string[], what: string): string[] {
  if (!value) return known;
  const picked = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  const unknown = picked.filter((item) => !known.includes(item));
  if (unknown.length > 0)
    throw new Error(`unknown ${what}: ${unknown.join(", ")}; known: ${known.join(", ")}`);
  return picked;
}

/** Parses the command line (throws a readable message on a bad flag). */
export function parseRunnerOptions(argv: string[]): RunnerOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      systems: { type: "string" },
      workloads: { type: "string" },
      runs: { type: "string" },
      quick: { type: "boolean", default: false },
      "no-docs": { type: "boolean", default: false },
      "docs-from": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const runs = values.runs === undefined ? (values.quick ? 1 : 3) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  return {
    systemIds: list(values.systems, SYSTEM_IDS, "system"),
    workloadIds: list(values.workloads, ALL_WORKLOADS, "workload"),
    runs,
    sizes: values.quick ? QUICK_SIZES : FULL_SIZES,
    writeDocs: !values["no-docs"],
    quick: values.quick,
    docsFrom: values["docs-from"],
    help: values.help,
  };
}

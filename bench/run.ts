/**
 * `npm run bench`: the engine benchmark (bench/engine/). Runs each scenario several times per backend,
 * prints the medians, and writes the "Engine" section of docs/benchmarks.md.
 *
 * Options: --runs N (default 5), --jobs N (default 10000), --concurrency N (default 10),
 * --backends memory,json,sqlite,postgres, --no-write (print only).
 */
import { parseArgs } from "node:util";
import type { StorageBackend } from "../src/config/persistence.js";
import { BENCH_BACKENDS, openBenchStore, unavailable } from "./engine/backends.js";
import { type BackendResult, engineSection, median, writeEngineSection } from "./engine/report.js";
import {
  commitsOf,
  DEFAULT_PARAMS,
  SCENARIOS,
  type ScenarioName,
  type ScenarioParams,
} from "./engine/scenarios.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    jobs: { type: "string", default: String(DEFAULT_PARAMS.jobs) },
    concurrency: { type: "string", default: String(DEFAULT_PARAMS.concurrency) },
    backends: { type: "string", default: BENCH_BACKENDS.join(",") },
    "no-write": { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const params: ScenarioParams = {
  ...DEFAULT_PARAMS,
  jobs: Number(values.jobs),
  concurrency: Number(values.concurrency),
};
const backends = values.backends.split(",") as StorageBackend[];
const WARMUP_JOBS = 2_000;

/** One run of one scenario on a fresh store: jobs per second, and the store's commits if it counts them. */
async function runOnce(backend: StorageBackend, name: ScenarioName, jobs = params.jobs) {
  const { store, dispose } = await openBenchStore(backend);
  const before = commitsOf(store);
  const ms = await SCENARIOS[name](store, { ...params, jobs });
  const after = commitsOf(store);
  await dispose();
  return { rate: (jobs / ms) * 1000, commits: before !== null && after !== null ? after - before : null };
}

async function measure(backend: StorageBackend): Promise<BackendResult> {
  const skipped = await unavailable(backend);
  if (skipped) return { backend, skipped };
  // One short, discarded run of each scenario first, so the figures are not the JIT compiler's warm-up.
  for (const name of Object.keys(SCENARIOS) as ScenarioName[]) await runOnce(backend, name, WARMUP_JOBS);
  const rates: Record<ScenarioName, number[]> = { "enqueue+drain": [], drain: [] };
  const commits: Record<ScenarioName, number[]> = { "enqueue+drain": [], drain: [] };
  for (let run = 0; run < runs; run++)
    for (const name of Object.keys(SCENARIOS) as ScenarioName[]) {
      const result = await runOnce(backend, name);
      rates[name].push(result.rate);
      if (result.commits !== null) commits[name].push(result.commits);
      console.log(`${backend} ${name} run ${run + 1}/${runs}: ${Math.round(result.rate)} jobs/s`);
    }
  return { backend, rates, commits };
}

const results: BackendResult[] = [];
for (const backend of backends) {
  const result = await measure(backend);
  results.push(result);
  if (result.skipped) console.log(`${backend}: skipped (${result.skipped})`);
  else
    for (const [name, rates] of Object.entries(result.rates ?? {}))
      console.log(`${backend} ${name}: median ${Math.round(median(rates))} jobs/s`);
}
const section = engineSection(results, params, runs);
if (values["no-write"]) console.log(section);
else {
  writeEngineSection("docs/benchmarks.md", section);
  console.log("wrote the Engine section of docs/benchmarks.md");
}

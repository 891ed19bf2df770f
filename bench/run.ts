/**
 * `npm run bench`: the engine benchmark (bench/engine/). Runs each scenario several times per backend,
 * prints the medians, and writes the "Engine" section of docs/benchmarks.md.
 *
 * Options: --runs N (default 5), --jobs N (default 10000), --concurrency N (default 10),
 * --backends memory,json,sqlite,postgres, --baseline <rev> (also measure that commit, each of its runs
 * right after this tree's, so both see the same machine load), --no-write (print only).
 */
import { parseArgs } from "node:util";
import type { StorageBackend } from "../src/config/persistence.js";
import { BENCH_BACKENDS, openBenchStore, unavailable } from "./engine/backends.js";
import { type EngineBuild, loadBaseline } from "./engine/baseline.js";
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
    baseline: { type: "string" },
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
const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

const thisTree: EngineBuild = { label: "", scenarios: SCENARIOS, openBenchStore, dispose() {} };
const builds = [thisTree, ...(values.baseline ? [await loadBaseline(values.baseline)] : [])];

/** One run of one scenario on a fresh store: jobs per second, and the store's commits if it counts them. */
async function runOnce(build: EngineBuild, backend: StorageBackend, name: ScenarioName, jobs = params.jobs) {
  const { store, dispose } = await build.openBenchStore(backend);
  const before = commitsOf(store);
  const ms = await build.scenarios[name](store, { ...params, jobs });
  const after = commitsOf(store);
  await dispose();
  return { rate: (jobs / ms) * 1000, commits: before !== null && after !== null ? after - before : null };
}

const labelOf = (build: EngineBuild, backend: string) =>
  build.label ? `${backend} @ ${build.label} (baseline)` : backend;

/** Every build's runs of `backend`, interleaved run by run. */
async function measure(backend: StorageBackend): Promise<BackendResult[]> {
  const skipped = await unavailable(backend);
  if (skipped) return [{ backend, skipped }];
  const results = builds.map((build) => ({
    build,
    result: {
      backend: labelOf(build, backend),
      rates: { "enqueue+drain": [], drain: [] },
      commits: { "enqueue+drain": [], drain: [] },
    } as Required<Omit<BackendResult, "skipped">>,
  }));
  // One short, discarded run of each scenario first, so the figures are not the JIT compiler's warm-up.
  for (const { build } of results)
    for (const name of SCENARIO_NAMES) await runOnce(build, backend, name, WARMUP_JOBS);
  for (let run = 0; run < runs; run++)
    for (const name of SCENARIO_NAMES)
      for (const { build, result } of results) {
        const { rate, commits } = await runOnce(build, backend, name);
        result.rates[name].push(rate);
        if (commits !== null) result.commits[name].push(commits);
        console.log(`${result.backend} ${name} run ${run + 1}/${runs}: ${Math.round(rate)} jobs/s`);
      }
  return results.map(({ result }) => result);
}

const results: BackendResult[] = [];
try {
  for (const backend of backends) results.push(...(await measure(backend)));
} finally {
  for (const build of builds) build.dispose();
}
for (const result of results) {
  if (result.skipped) console.log(`${result.backend}: skipped (${result.skipped})`);
  else
    for (const [name, rates] of Object.entries(result.rates ?? {}))
      console.log(`${result.backend} ${name}: median ${Math.round(median(rates))} jobs/s`);
}
const section = engineSection(results, params, runs);
if (values["no-write"]) console.log(section);
else {
  writeEngineSection("docs/benchmarks.md", section);
  console.log("wrote the Engine section of docs/benchmarks.md");
}

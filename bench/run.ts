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
import { DEFAULT_PARAMS, SCENARIOS, type ScenarioName, type ScenarioParams } from "./engine/scenarios.js";

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

async function measure(backend: StorageBackend): Promise<BackendResult> {
  const skipped = await unavailable(backend);
  if (skipped) return { backend, skipped };
  const rates = { "enqueue+drain": [], drain: [] } as Record<ScenarioName, number[]>;
  for (let run = 0; run < runs; run++)
    for (const [name, scenario] of Object.entries(SCENARIOS) as [
      ScenarioName,
      (typeof SCENARIOS)[ScenarioName],
    ][]) {
      const { store, dispose } = await openBenchStore(backend);
      const ms = await scenario(store, params);
      await dispose();
      rates[name].push((params.jobs / ms) * 1000);
      console.log(
        `${backend} ${name} run ${run + 1}/${runs}: ${Math.round((params.jobs / ms) * 1000)} jobs/s`,
      );
    }
  return { backend, rates };
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

/** The targets for jobd, each checked against this invocation's medians. */
import type { BenchResults } from "../results.js";
import { BASELINE_SYSTEM_ID } from "../systems.js";
import { formatNumber, formatRatio, medianOf } from "./format.js";

const PEER_IDS = ["plainjob", "bullmq", "pg-boss", "graphile-worker"];

interface Target {
  goal: string;
  measured: string;
  met: boolean | undefined;
}

function median(
  results: BenchResults,
  workloadId: string,
  systemId: string,
  key: string,
): number | undefined {
  const result = results.workloads.find((w) => w.workload.id === workloadId);
  return medianOf(result?.bySystem.get(systemId)?.samples[key]);
}

function beatsBestPeer(results: BenchResults, workloadId: string): Target {
  const jobd = median(results, workloadId, BASELINE_SYSTEM_ID, "jobsPerSec");
  const peers = PEER_IDS.map((id) => ({ id, value: median(results, workloadId, id, "jobsPerSec") })).filter(
    (peer): peer is { id: string; value: number } => peer.value !== undefined,
  );
  const best = peers.sort((a, b) => b.value - a.value)[0];
  const ratio = jobd !== undefined && best ? jobd / best.value : undefined;
  return {
    goal: `${workloadId}: jobd SQLite FULL ≥ 5× the best peer`,
    measured: best
      ? `${formatNumber(jobd ?? Number.NaN)} vs ${best.id} ${formatNumber(best.value)} jobs/s = ${formatRatio(ratio)}`
      : "no peer measured",
    met: ratio === undefined ? undefined : ratio >= 5,
  };
}

function durableEnqueueTarget(results: BenchResults): Target {
  const p50 = median(results, "W2", BASELINE_SYSTEM_ID, "p50Ms");
  const fsync = results.machine.fsyncMedianMs;
  return {
    goal: "W2: durable single enqueue (SQLite FULL) p50 within 1.5× of one fsync",
    measured: `p50 ${formatNumber(p50 ?? Number.NaN)} ms vs fsync ${formatNumber(fsync)} ms = ${formatRatio(p50 === undefined ? undefined : p50 / fsync)}`,
    met: p50 === undefined ? undefined : p50 <= 1.5 * fsync,
  };
}

function normalVsPlainjob(results: BenchResults): Target {
  const normal = median(results, "W2", "jobd-sqlite-normal", "opsPerSec");
  const plain = median(results, "W2", "plainjob", "opsPerSec");
  return {
    goal: "W2: jobd SQLite NORMAL no slower than plainjob",
    measured: `${formatNumber(normal ?? Number.NaN)} vs ${formatNumber(plain ?? Number.NaN)} ops/s`,
    met: normal === undefined || plain === undefined ? undefined : normal >= plain,
  };
}

function httpTargets(results: BenchResults): Target[] {
  const http = results.httpCreate;
  if (!http || http.skipped) return [];
  const single = medianOf(http.singleJobsPerSec);
  const batch = medianOf(http.batchJobsPerSec);
  return [
    {
      goal: "HTTP: ≥ 10,000 jobs/s created with concurrent single requests",
      measured: `${formatNumber(single ?? Number.NaN)} jobs/s`,
      met: single === undefined ? undefined : single >= 10_000,
    },
    {
      goal: "HTTP: ≥ 100,000 jobs/s created in batches of 1,000",
      measured: `${formatNumber(batch ?? Number.NaN)} jobs/s`,
      met: batch === undefined ? undefined : batch >= 100_000,
    },
  ];
}

/** A Markdown table of the targets: met, missed, or not measured. */
export function renderTargets(results: BenchResults): string[] {
  const targets = [
    beatsBestPeer(results, "W1"),
    beatsBestPeer(results, "W3"),
    durableEnqueueTarget(results),
    normalVsPlainjob(results),
    ...httpTargets(results),
  ];
  return [
    "### Targets from the issue",
    "",
    "| target | measured | met |",
    "|---|---|---|",
    ...targets.map(
      (t) =>
        `| ${t.goal} | ${t.measured} | ${t.met === undefined ? "not measured" : t.met ? "yes" : "**no**"} |`,
    ),
    "",
  ];
}

/** The HTTP create table (autocannon against `jobd serve`). */
import type { BenchResults } from "../results.js";
import { formatSpread } from "./format.js";

/** Markdown for the HTTP create benchmark, or nothing when it did not run. */
export function renderHttpCreate(results: BenchResults): string[] {
  const http = results.httpCreate;
  if (!http) return [];
  const lines = [
    "### HTTP create (autocannon → `jobd serve --backend sqlite`)",
    "",
    `Client and server share this machine's cores. ${http.durationS} s per measurement; ${http.connections} connections for single creates, ${http.batchConnections} for batches.`,
    "",
  ];
  if (http.skipped) return [...lines, `Skipped: ${http.skipped}`, ""];
  return [
    ...lines,
    "| request | jobs/s |",
    "|---|---|",
    `| \`POST /api/jobs\` (one job each) | ${formatSpread(http.singleJobsPerSec)} |`,
    `| \`POST /api/jobs/batch\` (${http.batchSize.toLocaleString("en")} jobs each) | ${formatSpread(http.batchJobsPerSec)} |`,
    "",
  ];
}

/** How operator commands print: pretty JSON, or a compact table for job lists. */
import type { RemoteJob } from "../client/index.js";
import type { TextOutput } from "./io.js";

/** Pretty-printed JSON and a newline. */
export function printJson(out: TextOutput, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

const COLUMNS: [header: string, cell: (job: RemoteJob) => string][] = [
  ["ID", (job) => job.id],
  ["TYPE", (job) => job.type],
  ["QUEUE", (job) => job.queue],
  ["STATUS", (job) => job.status],
  ["ATTEMPTS", (job) => `${job.attempts}/${job.max_attempts}`],
  ["CREATED", (job) => job.created_at],
  ["ERROR", (job) => (job.error ?? "").replace(/\s+/g, " ").slice(0, 60)],
];

/** One line per job, columns padded to their widest cell. */
export function formatJobTable(jobs: readonly RemoteJob[]): string {
  const rows = [
    COLUMNS.map(([header]) => header),
    ...jobs.map((job) => COLUMNS.map(([, cell]) => cell(job))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The history table: one row per job, newest first, each with its actions. */
import { h } from "./dom.js";
import { shortId, timeElement } from "./format.js";
import { type ActionName, actionButtons } from "./job-actions.js";
import { jobHref } from "./router.js";
import type { JobJson } from "./wire.js";

/** Called when a row's action button is pressed. */
export type RowAction = (action: ActionName, job: JobJson) => void;

const NUMERIC = new Set(["Attempts", "Progress"]);
const COLUMNS = ["Job", "Type", "Queue", "Status", "Attempts", "Progress", "Created", "Finished", "Actions"];

/** The table for one page of jobs. */
export function jobsTable(jobs: JobJson[], caption: string, onAction: RowAction): HTMLTableElement {
  return h(
    "table",
    { class: "jobs" },
    h("caption", {}, caption),
    h(
      "thead",
      {},
      h("tr", {}, ...COLUMNS.map((c) => h("th", { scope: "col", class: NUMERIC.has(c) ? "num" : null }, c))),
    ),
    h("tbody", {}, ...jobs.map((job) => jobRow(job, onAction))),
  );
}

/** One job's row; `data-job-id` lets live events replace it in place. */
export function jobRow(job: JobJson, onAction: RowAction): HTMLTableRowElement {
  return h(
    "tr",
    { "data-job-id": job.id, "data-status": job.status },
    h("th", { scope: "row", class: "id" }, h("a", { href: jobHref(job.id), title: job.id }, shortId(job.id))),
    h("td", {}, job.type),
    h("td", {}, job.queue),
    h("td", {}, statusBadge(job.status)),
    h("td", { class: "num" }, `${job.attempts}/${job.max_attempts}`),
    h("td", { class: "num" }, job.progress === null ? "—" : `${Math.round(job.progress)}%`),
    h("td", {}, timeElement(job.created_at)),
    h("td", {}, timeElement(job.finished_at)),
    h(
      "td",
      {},
      actionButtons(job, (action) => onAction(action, job)),
    ),
  );
}

/** A row that stays visible after its job was deleted, so the table does not jump. */
export function deletedRow(id: string): HTMLTableRowElement {
  return h(
    "tr",
    { "data-job-id": id, class: "deleted" },
    h("th", { scope: "row" }, shortId(id)),
    h("td", { colspan: COLUMNS.length - 1 }, "Deleted."),
  );
}

/** The coloured state label (the text carries the meaning; colour only helps). */
export function statusBadge(status: string): HTMLElement {
  return h("span", { class: `badge state-${status}` }, status);
}

/**
 * The history: filters, "retry all failed" with the filter applied, one page of jobs with actions,
 * and a pager. Live events update the rows in place; new jobs are offered, not forced, so the page
 * the user is reading does not shift under them.
 */
import { api, queryString } from "./api.js";
import { h } from "./dom.js";
import { type ActionName, confirmed, performAction } from "./job-actions.js";
import { jobsFilter } from "./jobs-filter.js";
import { deletedRow, jobRow, jobsTable } from "./jobs-table.js";
import { Messages, messageOf } from "./messages.js";
import { pager, rangeText } from "./pager.js";
import type { JobsQuery } from "./router.js";
import type { AppContext, View } from "./view.js";
import type { HistoryResponse, JobEventName, JobJson } from "./wire.js";

/** Mounts the history for `query`. */
export function jobsView(app: AppContext, query: JobsQuery): View {
  const messages = new Messages();
  const results = h("div", { class: "results", "aria-busy": "true" }, h("p", {}, "Loading…"));
  const fresh = h("div", { class: "fresh", "aria-live": "polite" });
  const rows = new Map<string, HTMLTableRowElement>();
  let newJobs = 0;

  const onAction = async (action: ActionName, job: JobJson) => {
    if (!confirmed(action, job)) return;
    try {
      const outcome = await performAction(action, job);
      replaceRow(job.id, outcome.job);
      messages.ok(outcome.message);
    } catch (error) {
      messages.error(messageOf(error));
    }
  };
  const replaceRow = (id: string, job: JobJson | null) => {
    const old = rows.get(id);
    if (!old) return;
    const hadFocus = old.contains(document.activeElement);
    const next = job ? jobRow(job, onAction) : deletedRow(id);
    old.replaceWith(next);
    rows.set(id, next);
    if (hadFocus) (next.querySelector("button, a") as HTMLElement | null)?.focus();
  };
  const load = async () => {
    newJobs = 0;
    fresh.replaceChildren();
    try {
      const page = await api<HistoryResponse>("GET", `/api/jobs/history${historyQuery(query)}`);
      rows.clear();
      const table = jobsTable(page.jobs, rangeText(query, page.jobs.length, page.total), onAction);
      for (const row of Array.from(table.querySelectorAll<HTMLTableRowElement>("tbody tr")))
        rows.set(row.dataset.jobId ?? "", row);
      // A wide table scrolls on its own (and by keyboard) instead of widening the page.
      const scroll = h(
        "div",
        { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Jobs table" },
        table,
      );
      results.replaceChildren(scroll, pager(query, page.total));
    } catch (error) {
      results.replaceChildren(h("p", { class: "error" }, `Could not load jobs: ${messageOf(error)}`));
    }
    results.setAttribute("aria-busy", "false");
  };
  const retryAll = h("button", { type: "button", class: "retry-all" }, retryAllLabel(query));
  retryAll.addEventListener("click", async () => {
    try {
      const { requeued } = await api<{ requeued: number }>(
        "POST",
        "/api/jobs/retry-failed",
        retryFilter(query),
      );
      messages.ok(`Requeued ${requeued} failed ${requeued === 1 ? "job" : "jobs"}.`);
      await load();
    } catch (error) {
      messages.error(messageOf(error));
    }
  });
  const showNew = (name: JobEventName) => {
    if (name !== "created" || query.offset > 0) return;
    newJobs += 1;
    const label = `${newJobs} new ${newJobs === 1 ? "job" : "jobs"} — show`;
    fresh.replaceChildren(
      h("button", { type: "button", class: "show-new", onclick: () => void load() }, label),
    );
  };

  void load();
  const queues = Object.keys(app.stats()?.queues ?? {}).sort();
  const root = h(
    "div",
    { class: "jobs-view" },
    h("h2", {}, "Jobs"),
    jobsFilter(query, queues),
    h("div", { class: "toolbar" }, retryAll, fresh),
    messages.element,
    results,
  );
  return {
    title: "Jobs",
    root,
    onJobEvent: (name, job) =>
      rows.has(job.id) ? replaceRow(job.id, name === "deleted" ? null : job) : showNew(name),
  };
}

function historyQuery(query: JobsQuery): string {
  const { status, type, queue, limit, offset } = query;
  return queryString({ status, type, queue, limit, offset });
}

/** `POST /api/jobs/retry-failed` takes the type and queue filter (the state filter does not apply). */
function retryFilter(query: JobsQuery): { type?: string; queue?: string } {
  return { ...(query.type ? { type: query.type } : {}), ...(query.queue ? { queue: query.queue } : {}) };
}

function retryAllLabel(query: JobsQuery): string {
  const scope = [query.type && `type ${query.type}`, query.queue && `queue ${query.queue}`].filter(Boolean);
  return scope.length ? `Retry all failed (${scope.join(", ")})` : "Retry all failed";
}

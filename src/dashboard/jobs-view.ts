/**
 * The history: filters, "retry all failed" with the filter applied, one page of jobs with actions,
 * and a pager. Live events update the rows in place; new jobs are offered, not forced, so the page
 * the user is reading does not shift under them.
 */
import { api, queryString } from "./api.js";
import { h } from "./dom.js";
import { type ActionName, runAction } from "./job-actions.js";
import { jobsFilter } from "./jobs-filter.js";
import { deletedRow, jobRow, jobsTable } from "./jobs-table.js";
import { Messages, messageOf } from "./messages.js";
import { pager, rangeText } from "./pager.js";
import type { JobsQuery } from "./router.js";
import type { AppContext, View } from "./view.js";
import type { HistoryResponse, JobEventName, JobJson } from "./wire.js";

/** Mounts the history for `query`. */
export function jobsView(app: AppContext, query: JobsQuery): View {
  return new JobsView(query, Object.keys(app.stats()?.queues ?? {}).sort());
}

class JobsView implements View {
  readonly title = "Jobs";
  readonly root: HTMLElement;
  private readonly messages = new Messages();
  private readonly results = h("div", { class: "results", "aria-busy": "true" }, h("p", {}, "Loading…"));
  private readonly fresh = h("div", { class: "fresh", "aria-live": "polite" });
  /** The rows on screen by job id, so events and actions can replace them in place. */
  private readonly rows = new Map<string, HTMLTableRowElement>();
  private newJobs = 0;

  constructor(
    private readonly query: JobsQuery,
    knownQueues: string[],
  ) {
    const retryAll = h("button", { type: "button", class: "retry-all" }, retryAllLabel(query));
    retryAll.addEventListener("click", () => void this.retryAllFailed());
    this.root = h(
      "div",
      { class: "jobs-view" },
      h("h2", {}, "Jobs"),
      jobsFilter(query, knownQueues),
      h("div", { class: "toolbar" }, retryAll, this.fresh),
      this.messages.element,
      this.results,
    );
    void this.load();
  }

  onJobEvent(name: JobEventName, job: JobJson): void {
    if (this.rows.has(job.id)) this.replaceRow(job.id, name === "deleted" ? null : job);
    else if (name === "created" && this.query.offset === 0) this.offerNewJob();
  }

  private async load(): Promise<void> {
    this.newJobs = 0;
    this.fresh.replaceChildren();
    try {
      const page = await api<HistoryResponse>("GET", `/api/jobs/history${historyQuery(this.query)}`);
      this.showPage(page);
    } catch (error) {
      this.results.replaceChildren(h("p", { class: "error" }, `Could not load jobs: ${messageOf(error)}`));
    }
    this.results.setAttribute("aria-busy", "false");
  }

  private showPage(page: HistoryResponse): void {
    const caption = rangeText(this.query, page.jobs.length, page.total);
    const table = jobsTable(page.jobs, caption, this.onAction);
    this.rows.clear();
    for (const row of Array.from(table.querySelectorAll<HTMLTableRowElement>("tbody tr"))) {
      this.rows.set(row.dataset.jobId ?? "", row);
    }
    // A wide table scrolls on its own (and by keyboard) instead of widening the page.
    const scroll = h(
      "div",
      { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Jobs table" },
      table,
    );
    this.results.replaceChildren(scroll, pager(this.query, page.total));
  }

  /** Runs a row's action; the row shows the outcome at once. */
  private readonly onAction = (action: ActionName, job: JobJson): Promise<void> =>
    runAction(action, job, this.messages, (next) => this.replaceRow(job.id, next));

  private replaceRow(id: string, job: JobJson | null): void {
    const old = this.rows.get(id);
    if (!old) return;
    const hadFocus = old.contains(document.activeElement);
    const next = job ? jobRow(job, this.onAction) : deletedRow(id);
    old.replaceWith(next);
    this.rows.set(id, next);
    if (hadFocus) next.querySelector<HTMLElement>("button, a")?.focus();
  }

  private async retryAllFailed(): Promise<void> {
    try {
      const body = retryFilter(this.query);
      const { requeued } = await api<{ requeued: number }>("POST", "/api/jobs/retry-failed", body);
      this.messages.ok(`Requeued ${requeued} failed ${requeued === 1 ? "job" : "jobs"}.`);
      await this.load();
    } catch (error) {
      this.messages.error(messageOf(error));
    }
  }

  private offerNewJob(): void {
    this.newJobs += 1;
    const label = `${this.newJobs} new ${this.newJobs === 1 ? "job" : "jobs"} — show`;
    const show = h("button", { type: "button", class: "show-new" }, label);
    show.addEventListener("click", () => void this.load());
    this.fresh.replaceChildren(show);
  }
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

/**
 * One job: its facts, payload, result and error, with its actions. Live events for this job redraw
 * it; a delete (here or elsewhere) leaves a note and a way back.
 */
import { ApiError, api } from "./api.js";
import { h } from "./dom.js";
import { formatJson, timeElement } from "./format.js";
import { type ActionName, actionButtons, runAction } from "./job-actions.js";
import { statusBadge } from "./jobs-table.js";
import { Messages, messageOf } from "./messages.js";
import type { View } from "./view.js";
import type { JobEventName, JobJson } from "./wire.js";

/** Mounts the detail of job `id`. */
export function jobDetailView(id: string): View {
  return new JobDetailView(id);
}

class JobDetailView implements View {
  readonly title: string;
  readonly root: HTMLElement;
  private readonly messages = new Messages();
  private readonly body = h("div", { class: "job-body", "aria-busy": "true" }, h("p", {}, "Loading…"));
  private readonly heading: HTMLElement;

  constructor(private readonly id: string) {
    this.title = `Job ${id}`;
    this.heading = h("h2", { tabindex: "-1" }, "Job ", h("code", {}, id));
    const back = h("p", {}, h("a", { href: "#/jobs" }, "← All jobs"));
    this.root = h("div", { class: "job-detail" }, back, this.heading, this.messages.element, this.body);
    void this.load();
  }

  onJobEvent(name: JobEventName, job: JobJson): void {
    if (job.id === this.id) this.show(name === "deleted" ? null : job);
  }

  private async load(): Promise<void> {
    try {
      this.show((await api<{ job: JobJson }>("GET", `/api/jobs/${this.id}`)).job);
    } catch (error) {
      this.body.setAttribute("aria-busy", "false");
      const missing = error instanceof ApiError && error.status === 404;
      this.body.replaceChildren(
        h("p", { class: "error" }, missing ? "No job has this id." : messageOf(error)),
      );
    }
  }

  /** Draws the job (null: deleted), keeping keyboard focus in the view if it was in the redrawn part. */
  private show(job: JobJson | null): void {
    this.body.setAttribute("aria-busy", "false");
    const hadFocus = this.body.contains(document.activeElement);
    if (job) this.body.replaceChildren(...jobSections(job, this.onAction));
    else this.body.replaceChildren(h("p", { class: "gone" }, "This job was deleted."));
    if (hadFocus) this.heading.focus();
  }

  /** Runs an action; the view shows the outcome at once. */
  private readonly onAction = (action: ActionName, job: JobJson): Promise<void> =>
    runAction(action, job, this.messages, (next) => this.show(next));
}

function jobSections(job: JobJson, run: (action: ActionName, job: JobJson) => void): HTMLElement[] {
  return [
    h(
      "div",
      { class: "job-head" },
      statusBadge(job.status),
      actionButtons(job, (action) => run(action, job)),
    ),
    facts(job),
    block("Payload", formatJson(job.payload), "payload"),
    block("Result", formatJson(job.result), "result"),
    block("Error", job.error ?? "—", "error"),
  ];
}

function facts(job: JobJson): HTMLElement {
  const rows: [string, Node | string][] = [
    ["Type", job.type],
    ["Queue", job.queue],
    ["Status", job.status],
    ["Attempts", `${job.attempts} of ${job.max_attempts}`],
    ["Progress", progress(job.progress)],
    ["Priority", String(job.priority)],
    ["Worker", job.worker_id ?? "—"],
    ["Lease expires", timeElement(job.lease_expires_at)],
    ["Run at", timeElement(job.run_at)],
    ["Timeout", job.timeout_ms === null ? "—" : `${job.timeout_ms} ms`],
    ["Idempotency key", job.idempotency_key ?? "—"],
    ["Created", timeElement(job.created_at)],
    ["Updated", timeElement(job.updated_at)],
    ["Started", timeElement(job.started_at)],
    ["Finished", timeElement(job.finished_at)],
  ];
  const key = (term: string) => term.toLowerCase().replace(/ /g, "-");
  return h(
    "dl",
    { class: "facts" },
    ...rows.flatMap(([t, v]) => [h("dt", {}, t), h("dd", { "data-fact": key(t) }, v)]),
  );
}

function progress(value: number | null): Node | string {
  if (value === null) return "—";
  const percent = `${Math.round(value)}%`;
  return h(
    "span",
    {},
    h("progress", { max: 100, value, "aria-label": `Progress ${percent}` }),
    ` ${percent}`,
  );
}

function block(title: string, text: string, key: string): HTMLElement {
  const id = `block-${key}`;
  return h(
    "section",
    { "aria-labelledby": id },
    h("h3", { id }, title),
    h("pre", { "data-block": key }, text),
  );
}

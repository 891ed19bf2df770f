/**
 * Retry, cancel and delete for one job: which apply to it, the buttons, and the calls. The server
 * stays the judge: a refusal (409 and the like) comes back as an ApiError with its message.
 */
import { api } from "./api.js";
import { h } from "./dom.js";
import { shortId } from "./format.js";
import { type Messages, messageOf } from "./messages.js";
import type { JobJson } from "./wire.js";

export type ActionName = "retry" | "cancel" | "delete";

/** What an action left behind: the job as it is now (null once deleted) and what to tell the user. */
export interface ActionOutcome {
  job: JobJson | null;
  message: string;
}

/**
 * The actions offered for `job`. Delete is offered in every state: for a processing job the server
 * refuses it, and its message says why.
 */
export function actionsFor(job: JobJson): ActionName[] {
  const actions: ActionName[] = [];
  if (job.status === "failed" || job.status === "cancelled") actions.push("retry");
  if (job.status === "queued" || job.status === "processing") actions.push("cancel");
  actions.push("delete");
  return actions;
}

const LABELS: Record<ActionName, string> = { retry: "Retry", cancel: "Cancel", delete: "Delete" };

/** The buttons for `job`; `run` is called with the chosen action. */
export function actionButtons(job: JobJson, run: (action: ActionName) => void): HTMLElement {
  return h(
    "div",
    { class: "actions" },
    ...actionsFor(job).map((action) =>
      h(
        "button",
        {
          type: "button",
          class: `action action-${action}`,
          "data-action": action,
          "aria-label": `${LABELS[action]} job ${shortId(job.id)}`,
          onclick: () => run(action),
        },
        LABELS[action],
      ),
    ),
  );
}

/** Performs `action` on `job`; rejects with the server's error when refused. */
async function performAction(action: ActionName, job: JobJson): Promise<ActionOutcome> {
  const path = `/api/jobs/${job.id}`;
  if (action === "retry") {
    const answer = await api<{ message: string }>("POST", `${path}/retry`);
    return { job: (await api<{ job: JobJson }>("GET", path)).job, message: answer.message };
  }
  if (action === "cancel") {
    return { job: (await api<{ job: JobJson }>("POST", `${path}/cancel`)).job, message: "Job cancelled." };
  }
  await api<void>("DELETE", path);
  return { job: null, message: "Job deleted." };
}

/** Asks before the one action that cannot be undone. */
function confirmed(action: ActionName, job: JobJson): boolean {
  return action !== "delete" || window.confirm(`Delete job ${job.id} (${job.type})? This cannot be undone.`);
}

/**
 * What a button press does in every view: confirm a delete, perform the action, hand the job as it
 * is now to `show` (null once deleted) and say what happened; a refusal shows the server's message.
 */
export async function runAction(
  action: ActionName,
  job: JobJson,
  messages: Messages,
  show: (job: JobJson | null) => void,
): Promise<void> {
  if (!confirmed(action, job)) return;
  try {
    const outcome = await performAction(action, job);
    show(outcome.job);
    messages.ok(outcome.message);
  } catch (error) {
    messages.error(messageOf(error));
  }
}

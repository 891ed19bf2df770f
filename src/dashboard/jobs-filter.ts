/**
 * The history's filter form (state, type, queue, page size). Submitting it changes the hash, so a
 * filtered view is a link; the queue field suggests the queues the server knows.
 */
import { h } from "./dom.js";
import { type JobsQuery, jobsHref, PAGE_SIZES } from "./router.js";
import { STATUSES } from "./wire.js";

/** The form for `query`; `knownQueues` feed the queue field's suggestions. */
export function jobsFilter(query: JobsQuery, knownQueues: string[]): HTMLFormElement {
  const status = h(
    "select",
    { id: "filter-status", name: "status" },
    h("option", { value: "" }, "any"),
    ...STATUSES.map((s) => h("option", { value: s, selected: query.status === s }, s)),
  );
  const type = h("input", { id: "filter-type", name: "type", value: query.type, autocomplete: "off" });
  const queue = h("input", { id: "filter-queue", name: "queue", value: query.queue, list: "known-queues" });
  const limit = h(
    "select",
    { id: "filter-limit", name: "limit" },
    ...PAGE_SIZES.map((n) => h("option", { value: n, selected: query.limit === n }, String(n))),
  );
  const field = (label: string, control: HTMLElement) =>
    h("div", { class: "field" }, h("label", { for: control.id }, label), control);
  const form = h(
    "form",
    { class: "filter", role: "search", "aria-label": "Filter jobs" },
    field("State", status),
    field("Type", type),
    field("Queue", queue),
    field("Per page", limit),
    h("datalist", { id: "known-queues" }, ...knownQueues.map((q) => h("option", { value: q }))),
    h(
      "div",
      { class: "field buttons" },
      h("button", { type: "submit" }, "Apply"),
      h("a", { href: "#/jobs" }, "Clear"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = jobsHref({
      status: status.value,
      type: type.value.trim(),
      queue: queue.value.trim(),
      limit: Number(limit.value),
    });
  });
  return form;
}

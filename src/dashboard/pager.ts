/** Previous / next links for the history, matching the API's `limit`, `offset` and `total`. */
import { h } from "./dom.js";
import { type JobsQuery, jobsHref } from "./router.js";

/** The pager for a page of `query` out of `total` matches. */
export function pager(query: JobsQuery, total: number): HTMLElement {
  const pages = Math.max(1, Math.ceil(total / query.limit));
  const page = Math.floor(query.offset / query.limit) + 1;
  const link = (label: string, offset: number, enabled: boolean, rel: string) =>
    enabled
      ? h("a", { href: jobsHref({ ...query, offset }), rel, class: "page-link" }, label)
      : h("span", { class: "page-link", "aria-disabled": "true" }, label);
  return h(
    "nav",
    { class: "pager", "aria-label": "Pages" },
    link("← Newer", Math.max(0, query.offset - query.limit), query.offset > 0, "prev"),
    h("span", { class: "page-number" }, `Page ${page} of ${pages}`),
    link("Older →", query.offset + query.limit, query.offset + query.limit < total, "next"),
  );
}

/** "1–50 of 123" for the table caption. */
export function rangeText(query: JobsQuery, shown: number, total: number): string {
  if (total === 0) return "No jobs match.";
  return `${query.offset + 1}–${query.offset + shown} of ${total}, newest first`;
}

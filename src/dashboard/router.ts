/**
 * Hash routes, so every view has a link that works on reload and with Back:
 * `#/` overview, `#/jobs?status=failed&type=…&queue=…&limit=50&offset=0` history, `#/jobs/<id>` one job.
 */

/** The history view's filter and page, as in `GET /api/jobs/history`. */
export interface JobsQuery {
  status: string;
  type: string;
  queue: string;
  limit: number;
  offset: number;
}

export type Route =
  | { view: "overview" }
  | { view: "jobs"; query: JobsQuery }
  | { view: "job"; id: string }
  | { view: "not-found"; path: string };

export const PAGE_SIZES = [20, 50, 100] as const;
const DEFAULT_LIMIT = 50;

/** The route named by `hash` (`location.hash`). */
export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?", 2);
  if (path === "" || path === "/") return { view: "overview" };
  if (path === "/jobs") return { view: "jobs", query: parseQuery(new URLSearchParams(search)) };
  const job = /^\/jobs\/([0-9a-fA-F-]{36})$/.exec(path);
  if (job?.[1]) return { view: "job", id: job[1].toLowerCase() };
  return { view: "not-found", path };
}

function parseQuery(params: URLSearchParams): JobsQuery {
  const limit = Number(params.get("limit"));
  const offset = Number(params.get("offset"));
  return {
    status: params.get("status") ?? "",
    type: params.get("type") ?? "",
    queue: params.get("queue") ?? "",
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 1000 ? limit : DEFAULT_LIMIT,
    offset: Number.isInteger(offset) && offset >= 0 ? offset : 0,
  };
}

/** The link to the history with `query` (defaults left out, so links stay short). */
export function jobsHref(query: Partial<JobsQuery>): string {
  const params = new URLSearchParams();
  for (const key of ["status", "type", "queue"] as const) if (query[key]) params.set(key, query[key]);
  if (query.limit && query.limit !== DEFAULT_LIMIT) params.set("limit", String(query.limit));
  if (query.offset) params.set("offset", String(query.offset));
  const search = params.toString();
  return search ? `#/jobs?${search}` : "#/jobs";
}

/** The link to one job's detail. */
export const jobHref = (id: string) => `#/jobs/${id}`;

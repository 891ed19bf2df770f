/**
 * The overview: counts by state (live: the app refreshes stats on every job event), counts by
 * queue, the throughput chart, and the server's backend, durability and last recovery result.
 */
import { h } from "./dom.js";
import { formatDuration } from "./format.js";
import { jobsHref } from "./router.js";
import { throughputChart } from "./throughput-chart.js";
import type { AppContext, View } from "./view.js";
import { STATUSES, type StatsResponse, type StatusCounts } from "./wire.js";

const DURABILITY: Record<StatsResponse["durability"], string> = {
  none: "none — jobs live in memory and are lost on restart",
  "process-crash": "process crash — survives a killed process, not a power cut",
  "power-loss": "power loss — every change is on disk before it is acknowledged",
};

/** Mounts the overview. */
export function overviewView(app: AppContext): View {
  const counts = new Map(STATUSES.map((status) => [status, h("span", { class: "count-value" }, "–")]));
  const stateList = h(
    "ul",
    { class: "counts", "aria-live": "polite", "aria-label": "Jobs by state" },
    ...STATUSES.map((status) =>
      h(
        "li",
        { class: `count state-${status}`, "data-status": status, "aria-atomic": "true" }, // Read "queued 3", not "3".
        h(
          "a",
          { href: jobsHref({ status }) },
          h("span", { class: "count-label" }, status),
          counts.get(status),
        ),
      ),
    ),
  );
  const queues = h("div", { class: "queues" }, h("p", {}, "Loading…"));
  const chart = h("div", { class: "chart-holder" });
  const server = h("div", { class: "server" });
  const root = h(
    "div",
    { class: "overview" },
    h("h2", {}, "Overview"),
    section("states-heading", "Jobs by state", stateList),
    section("throughput-heading", "Throughput", chart),
    section("queues-heading", "Jobs by queue", queues),
    section("server-heading", "Server", server),
  );
  const drawChart = () => chart.replaceChildren(throughputChart(app.throughput.series(Date.now())));
  const timer = setInterval(drawChart, 2_000);
  const show = (stats: StatsResponse) => {
    for (const status of STATUSES) setText(counts.get(status), String(stats.counts[status]));
    queues.replaceChildren(queueTable(stats.queues));
    server.replaceChildren(serverFacts(stats));
    drawChart();
  };
  drawChart();
  const current = app.stats();
  if (current) show(current);
  return { title: "Overview", root, onStats: show, dispose: () => clearInterval(timer) };
}

function section(id: string, title: string, body: HTMLElement): HTMLElement {
  return h("section", { "aria-labelledby": id }, h("h3", { id }, title), body);
}

/** Changes text only when it differs, so the live region announces only real changes. */
function setText(element: HTMLElement | undefined, text: string): void {
  if (element && element.textContent !== text) element.textContent = text;
}

function queueTable(queues: Record<string, StatusCounts>): HTMLElement {
  const names = Object.keys(queues).sort();
  if (names.length === 0) return h("p", {}, "No jobs yet.");
  const header = h(
    "tr",
    {},
    h("th", { scope: "col" }, "Queue"),
    ...STATUSES.map((s) => h("th", { scope: "col", class: "num" }, s)),
  );
  const rows = names.map((queue) =>
    h(
      "tr",
      { "data-queue": queue },
      h("th", { scope: "row" }, h("a", { href: jobsHref({ queue }) }, queue)),
      ...STATUSES.map((status) => h("td", { class: "num" }, String(queues[queue]?.[status] ?? 0))),
    ),
  );
  return h("table", {}, h("thead", {}, header), h("tbody", {}, ...rows));
}

function serverFacts(stats: StatsResponse): HTMLElement {
  const r = stats.recovery;
  const fact = (term: string, value: string, key: string) => [
    h("dt", {}, term),
    h("dd", { "data-fact": key }, value),
  ];
  return h(
    "dl",
    { class: "facts" },
    ...fact("Backend", stats.backend, "backend"),
    ...fact("Durability", DURABILITY[stats.durability] ?? stats.durability, "durability"),
    ...fact("Uptime", formatDuration(stats.uptime_s), "uptime"),
    ...fact(
      "Last recovery",
      `${r.recovered} recovered, ${r.requeued} requeued, ${r.failed} failed, ${r.retried} retried, ${r.pruned} pruned`,
      "recovery",
    ),
  );
}

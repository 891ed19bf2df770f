/**
 * The dashboard's entry: wires the routes, the live event stream, the stats refresh and the token
 * prompt together. Views are plain functions that return an element plus hooks.
 */
import "./styles.css";
import { api, onUnauthorized, queryString } from "./api.js";
import { coalesce } from "./coalesce.js";
import { h } from "./dom.js";
import { jobDetailView } from "./job-detail-view.js";
import { jobsView } from "./jobs-view.js";
import { followEvents, type LiveState } from "./live-events.js";
import { messageOf } from "./messages.js";
import { overviewView } from "./overview-view.js";
import { parseRoute, type Route } from "./router.js";
import { BUCKET_COUNT, BUCKET_MS, Throughput } from "./throughput.js";
import { clearToken, readToken } from "./token.js";
import { tokenForm } from "./token-form.js";
import type { AppContext, View } from "./view.js";
import type { HistoryResponse, StatsResponse } from "./wire.js";

const STATS_POLL_MS = 10_000;
/** However many events arrive, stats are fetched at most this often. */
const STATS_MIN_GAP_MS = 250;
/** How many finished jobs seed the chart at load. */
const SEED_JOBS = 200;
const LIVE_TEXT: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  offline: "Offline, reconnecting…",
  unauthorized: "Token needed",
};

const mainElement = document.getElementById("main") as HTMLElement;
const liveElement = document.getElementById("live") as HTMLElement;
const bannerElement = document.getElementById("banner") as HTMLElement;

let latestStats: StatsResponse | null = null;
let view: View | null = null;
let stopEvents: (() => void) | null = null;
let asking = false;
const app: AppContext = { stats: () => latestStats, throughput: new Throughput() };

function createView(route: Route): View {
  if (route.view === "jobs") return jobsView(app, route.query);
  if (route.view === "job") return jobDetailView(route.id);
  if (route.view === "overview") return overviewView(app);
  const root = h(
    "div",
    {},
    h("h2", {}, "Not found"),
    h("p", {}, "No page here. ", h("a", { href: "#/" }, "Overview")),
  );
  return { title: "Not found", root };
}

function render(moveFocus: boolean): void {
  if (asking) return;
  view?.dispose?.();
  const route = parseRoute(location.hash);
  view = createView(route);
  mainElement.replaceChildren(view.root);
  document.title = `${view.title} · jobd`;
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>("nav a[data-view]"))) {
    const current = link.dataset.view === (route.view === "job" ? "jobs" : route.view);
    current ? link.setAttribute("aria-current", "page") : link.removeAttribute("aria-current");
  }
  const heading = mainElement.querySelector<HTMLElement>("h2");
  if (moveFocus && heading) {
    heading.tabIndex = -1; // Focusable by script only, so screen readers start reading the new view.
    heading.focus();
  }
}

/** Fetches stats and hands them to the view; shows why in the banner when that fails. */
async function loadStats(): Promise<void> {
  try {
    latestStats = await api<StatsResponse>("GET", "/api/stats");
    bannerElement.textContent = "";
    view?.onStats?.(latestStats);
  } catch (error) {
    if (!asking) bannerElement.textContent = `Stats unavailable: ${messageOf(error)}`;
  }
}
const refreshStats = coalesce(loadStats, STATS_MIN_GAP_MS);

/**
 * Fills the throughput chart with what finished before the page opened: the newest SEED_JOBS
 * finished jobs (whole jobs, payloads included, so the page stays light however big they are).
 */
async function seedThroughput(): Promise<void> {
  const path = `/api/jobs/history${queryString({ status: "completed,failed", limit: SEED_JOBS })}`;
  const page = await api<HistoryResponse>("GET", path).catch(() => null);
  const now = Date.now();
  const since = now - BUCKET_COUNT * BUCKET_MS;
  for (const job of page?.jobs ?? []) {
    const outcome = job.status === "completed" ? "completed" : "failed";
    if (job.finished_at && Date.parse(job.finished_at) >= since) app.throughput.record(job, outcome, now);
  }
  if (latestStats) view?.onStats?.(latestStats); // Redraws the chart; otherwise the first stats will.
}

function start(): void {
  asking = false;
  render(false);
  refreshStats();
  void seedThroughput();
  let outage = false;
  stopEvents = followEvents({
    event(name, job) {
      if (name === "completed" || name === "failed") app.throughput.record(job, name, Date.now());
      if (name !== "progress") refreshStats(); // Progress changes no count.
      view?.onJobEvent?.(name, job);
    },
    state(state) {
      showLiveState(state);
      if (state === "offline") outage = true;
      if (state !== "live") return;
      refreshStats();
      // Back after an outage (a restart, or still recovering at first): events were missed, so
      // the view loads again; a first connection needs nothing more.
      if (outage) render(false);
      outage = false;
    },
  });
}

function showLiveState(state: LiveState): void {
  liveElement.textContent = LIVE_TEXT[state];
  liveElement.dataset.state = state;
}

/** A 401 anywhere: stop everything and ask for the token (once, however many calls were refused). */
function askForToken(): void {
  if (asking) return;
  asking = true;
  stopEvents?.();
  showLiveState("unauthorized");
  view?.dispose?.();
  view = null;
  const refused = readToken() !== null;
  clearToken();
  bannerElement.textContent = "";
  document.title = "API token required · jobd";
  mainElement.replaceChildren(tokenForm(refused, start));
}

onUnauthorized(askForToken);
// The skip link must not change the hash (that would be a route): it moves focus instead.
document.querySelector("a.skip")?.addEventListener("click", (event) => {
  event.preventDefault();
  mainElement.focus();
});
window.addEventListener("hashchange", () => render(true));
setInterval(() => asking || refreshStats(), STATS_POLL_MS);
start();

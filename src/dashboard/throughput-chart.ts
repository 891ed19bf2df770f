/**
 * The throughput chart: stacked bars (completed below, failed above) as inline SVG, with a text
 * summary for screen readers and for anyone who prefers numbers.
 */
import { h, s } from "./dom.js";
import { BUCKET_COUNT, BUCKET_MS, type Bucket } from "./throughput.js";

const WIDTH = 600;
const HEIGHT = 120;
const BAR = WIDTH / BUCKET_COUNT;

/** The chart and its summary for `buckets`. */
export function throughputChart(buckets: Bucket[]): HTMLElement {
  const completed = sum(buckets, "completed");
  const failed = sum(buckets, "failed");
  const minutes = (BUCKET_COUNT * BUCKET_MS) / 60_000;
  const summary = `${completed} completed and ${failed} failed in the last ${minutes} minutes (10-second bars).`;
  const peak = Math.max(1, ...buckets.map((b) => b.completed + b.failed));
  const chart = s(
    "svg",
    // The caption says it all in words, so assistive technology skips the drawing.
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: "none", class: "chart", "aria-hidden": "true" },
    s("line", { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: "axis" }),
    ...buckets.flatMap((bucket, i) => bars(bucket, i, peak)),
  );
  return h(
    "figure",
    { class: "throughput" },
    chart,
    h(
      "div",
      { class: "axis-labels", "aria-hidden": "true" },
      h("span", {}, `${minutes} min ago`),
      h("span", {}, "now"),
    ),
    h("figcaption", {}, summary, ` Peak: ${peak === 1 ? "≤1" : peak} per bar.`, legend()),
  );
}

function legend(): HTMLElement {
  const item = (kind: string) => h("span", {}, h("span", { class: `swatch ${kind}` }), kind);
  return h("span", { class: "legend", "aria-hidden": "true" }, item("completed"), item("failed"));
}

function bars(bucket: Bucket, index: number, peak: number): SVGElement[] {
  const x = index * BAR + 1;
  const completedHeight = (bucket.completed / peak) * (HEIGHT - 4);
  const failedHeight = (bucket.failed / peak) * (HEIGHT - 4);
  const time = new Date(bucket.start).toLocaleTimeString();
  const title = `${time}: ${bucket.completed} completed, ${bucket.failed} failed`;
  const rect = (cls: string, y: number, height: number) =>
    s("rect", { class: cls, x, y, width: BAR - 2, height }, s("title", {}, title));
  const out: SVGElement[] = [];
  if (bucket.completed > 0) out.push(rect("bar-completed", HEIGHT - completedHeight, completedHeight));
  if (bucket.failed > 0) out.push(rect("bar-failed", HEIGHT - completedHeight - failedHeight, failedHeight));
  return out;
}

const sum = (buckets: Bucket[], key: "completed" | "failed") => buckets.reduce((n, b) => n + b[key], 0);

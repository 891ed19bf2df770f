/**
 * docs/benchmarks-compare.svg: one horizontal bar panel per workload (its first figure), median bars
 * with min–max whiskers, jobd in one colour and the peers in another. Hand-written SVG, no dependency.
 */
import type { BenchResults, WorkloadResult } from "../results.js";
import { spread } from "../stats.js";
import { COMPLETED_SHARE } from "../workloads/workload.js";
import { formatNumber, metricHeading, wasCapped } from "./format.js";

const WIDTH = 960;
const LABEL_WIDTH = 250;
const BAR_WIDTH = 560;
const ROW_HEIGHT = 24;
const PANEL_HEADER = 34;
const PANEL_GAP = 18;
const JOBD_COLOUR = "#0f766e";
const PEER_COLOUR = "#94a3b8";

function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

interface Bar {
  label: string;
  isJobd: boolean;
  capped: boolean;
  median: number;
  min: number;
  max: number;
}

function barsOf(result: WorkloadResult, results: BenchResults): Bar[] {
  const key = result.workload.metrics[0]?.key as string;
  return results.systems.flatMap(({ system }) => {
    const figures = result.bySystem.get(system.id);
    const samples = figures?.samples[key];
    if (!samples || samples.length === 0) return [];
    const capped = wasCapped(figures?.samples[COMPLETED_SHARE]);
    return [{ label: system.label, isJobd: system.id.startsWith("jobd"), capped, ...spread(samples) }];
  });
}

function workloadTitle(result: WorkloadResult): string {
  const metric = result.workload.metrics[0];
  return `${result.workload.title} — ${metric ? metricHeading(metric) : ""}, ${metric?.better} is better`;
}

/** HTTP create: single and batch jobs/s as two bars. */
function httpBars(results: BenchResults): Bar[] {
  const http = results.httpCreate;
  if (!http || http.skipped) return [];
  const bar = (label: string, samples: number[]): Bar[] =>
    samples.length === 0 ? [] : [{ label, isJobd: true, capped: false, ...spread(samples) }];
  return [
    ...bar(`single (${http.connections} connections)`, http.singleJobsPerSec),
    ...bar(`batches of ${http.batchSize.toLocaleString("en")}`, http.batchJobsPerSec),
  ];
}

function panel(title: string, bars: Bar[], top: number): { svg: string; height: number } {
  const scale = Math.max(...bars.map((bar) => bar.max), 1e-9);
  const x = (value: number) => LABEL_WIDTH + (value / scale) * BAR_WIDTH;
  const parts = [`<text x="8" y="${top + 20}" class="title">${escapeXml(title)}</text>`];
  bars.forEach((bar, index) => {
    const y = top + PANEL_HEADER + index * ROW_HEIGHT;
    const mid = y + ROW_HEIGHT / 2 - 2;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${mid + 4}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${Math.max(1, x(bar.median) - LABEL_WIDTH).toFixed(1)}" height="${ROW_HEIGHT - 10}" fill="${bar.isJobd ? JOBD_COLOUR : PEER_COLOUR}"/>`,
      `<line x1="${x(bar.min).toFixed(1)}" x2="${x(bar.max).toFixed(1)}" y1="${mid}" y2="${mid}" stroke="#111827" stroke-width="1"/>`,
      `<text x="${(x(bar.max) + 6).toFixed(1)}" y="${mid + 4}">${formatNumber(bar.median)}${bar.capped ? " †" : ""}</text>`,
    );
  });
  if (bars.length === 0)
    parts.push(`<text x="${LABEL_WIDTH}" y="${top + PANEL_HEADER + 14}">no measurements</text>`);
  return { svg: parts.join("\n"), height: PANEL_HEADER + Math.max(1, bars.length) * ROW_HEIGHT };
}

/** The whole chart as an SVG document. */
export function renderCompareSvg(results: BenchResults): string {
  let top = 8;
  const panels: string[] = [];
  const sections = results.workloads.map((result) => ({
    title: workloadTitle(result),
    bars: barsOf(result, results),
  }));
  if (results.httpCreate && !results.httpCreate.skipped) {
    sections.push({
      title: "HTTP create on jobd serve (SQLite FULL) — jobs/s, higher is better",
      bars: httpBars(results),
    });
  }
  for (const section of sections) {
    const { svg, height } = panel(section.title, section.bars, top);
    panels.push(svg);
    top += height + PANEL_GAP;
  }
  const m = results.machine;
  const footer = `${m.cpus} cores, Node ${m.node}, fsync ${formatNumber(m.fsyncMedianMs)} ms · median of ${results.runs} runs, whiskers min–max · ${results.startedAt.toISOString().slice(0, 10)} · teal = jobd · † hit the time cap, projected`;
  const height = top + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    "<style>.title { font-weight: 600; font-size: 13px; }</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...panels,
    `<text x="8" y="${height - 8}" fill="#4b5563">${escapeXml(footer)}</text>`,
    "</svg>",
    "",
  ].join("\n");
}

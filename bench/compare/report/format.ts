/** Number formatting shared by the Markdown and SVG reports. */
import { type Spread, spread } from "../stats.js";

/** A figure with sensible precision: 12,345 · 123 · 1.23 · 0.123. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `median (min–max)`, or just the value for a single run. */
export function formatSpread(samples: readonly number[]): string {
  const { median, min, max } = spread(samples);
  if (samples.length === 1) return formatNumber(median);
  return `${formatNumber(median)} (${formatNumber(min)}–${formatNumber(max)})`;
}

/** The median of a metric's samples, or undefined when it has none. */
export function medianOf(samples: readonly number[] | undefined): number | undefined {
  if (!samples || samples.length === 0) return undefined;
  return (spread(samples) as Spread).median;
}

/** `2.5×`. */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return "–";
  const digits =
    ratio >= 10
      ? ratio.toFixed(0)
      : ratio >= 1
        ? ratio.toFixed(1)
        : ratio >= 0.01
          ? ratio.toFixed(2)
          : ratio.toPrecision(1);
  return `${digits}×`;
}

/** `ops/s`, or `p50 (ms)` when the label is not the unit itself. */
export function metricHeading(metric: { label: string; unit: string }): string {
  return metric.label === metric.unit ? metric.label : `${metric.label} (${metric.unit})`;
}

/** True when some run of this system hit the time cap (its drain figures are projected). */
export function wasCapped(shares: readonly number[] | undefined): boolean {
  return (shares ?? []).some((share) => share < 1);
}

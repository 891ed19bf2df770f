/** How the dashboard writes times, durations and JSON. */
import { h } from "./dom.js";

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-11-28 18:04:05` in the browser's time zone. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A `<time>` element with the exact RFC 3339 value in `datetime` and `title`; a dash for null. */
export function timeElement(iso: string | null): Node {
  if (iso === null) return document.createTextNode("—");
  return h("time", { datetime: iso, title: iso }, formatTime(iso));
}

/** `3 d 4 h`, `5 min 2 s`, `12 s`. */
export function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** Pretty JSON for payloads and results. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "null";
}

/**
 * The random tail of a UUID v7, enough to tell jobs apart in a table (its head is the creation time,
 * the same for jobs created together).
 */
export const shortId = (id: string) => `…${id.slice(-12)}`;

/**
 * Writes the results into docs/: only the text between the compare markers of docs/benchmarks.md (the
 * file is shared; the markers are appended when missing), and docs/benchmarks-compare.svg.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchResults } from "../results.js";
import { renderCompareSection } from "./markdown.js";
import { renderCompareSvg } from "./svg.js";

const DOCS_DIR = fileURLToPath(new URL("../../../docs/", import.meta.url));
const BIOME = fileURLToPath(new URL("../../../node_modules/.bin/biome", import.meta.url));
const START_MARKER = "<!-- compare:start -->";
const END_MARKER = "<!-- compare:end -->";

/** Replaces what lies between the markers (adding them at the end when missing). */
export function replaceBetweenMarkers(document: string, section: string): string {
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER);
  const block = `${START_MARKER}\n${section.trimEnd()}\n${END_MARKER}`;
  if (start === -1 || end === -1 || end < start) {
    return `${document.trimEnd()}${document.trim() ? "\n\n" : ""}${block}\n`;
  }
  return document.slice(0, start) + block + document.slice(end + END_MARKER.length);
}

/** The section as Biome formats Markdown (aligned tables), so `npm run lint` stays green after a run. */
function formatted(section: string): string {
  const output = execFileSync(BIOME, ["format", "--stdin-file-path=compare-section.md"], { input: section });
  return output.toString();
}

/** Where the last generated section is kept (gitignored), to put back with `--docs-from`. */
export const SAVED_SECTION = fileURLToPath(new URL("../../results/compare-section.md", import.meta.url));

/** Puts a rendered section between the markers of docs/benchmarks.md, formatted as Biome wants it. */
export function writeCompareSection(section: string): void {
  const markdownPath = path.join(DOCS_DIR, "benchmarks.md");
  const current = fs.existsSync(markdownPath) ? fs.readFileSync(markdownPath, "utf8") : "# Benchmarks\n";
  fs.writeFileSync(markdownPath, replaceBetweenMarkers(current, formatted(section)));
}

/** Updates docs/benchmarks.md's compare section and docs/benchmarks-compare.svg; keeps a copy of the section. */
export function writeCompareDocs(results: BenchResults): void {
  const section = renderCompareSection(results);
  fs.mkdirSync(path.dirname(SAVED_SECTION), { recursive: true });
  fs.writeFileSync(SAVED_SECTION, section);
  writeCompareSection(section);
  fs.writeFileSync(path.join(DOCS_DIR, "benchmarks-compare.svg"), renderCompareSvg(results));
  process.stderr.write(
    `wrote docs/benchmarks.md (compare section) and docs/benchmarks-compare.svg; copy in ${SAVED_SECTION}\n`,
  );
}

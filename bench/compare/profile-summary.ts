/**
 * Summarizes V8 `.cpuprofile` files (from `node --cpu-prof`): the functions with the most self time,
 * and the jobd functions (src/, or dist/ as bench:compare runs it) with the most total time. Usage:
 *   node --import tsx bench/compare/profile-summary.ts /tmp/prof/*.cpuprofile [--top 25]
 */
import fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, "").replace(/^.*\/work\/main\//, "");
  return `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
}

/** Self and total microseconds per frame name, over one profile. */
function tally(profile: Profile, self: Map<string, number>, total: Map<string, number>): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  let sum = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    sum += micros;
    const leaf = byId.get(id) as ProfileNode;
    self.set(frameName(leaf), (self.get(frameName(leaf)) ?? 0) + micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at) as ProfileNode);
      if (!seen.has(name)) total.set(name, (total.get(name) ?? 0) + micros);
      seen.add(name);
    }
  });
  return sum;
}

function print(
  title: string,
  entries: Map<string, number>,
  sum: number,
  top: number,
  filter = (_: string) => true,
) {
  console.log(`\n${title}`);
  const sorted = [...entries].filter(([name]) => filter(name)).sort((a, b) => b[1] - a[1]);
  for (const [name, micros] of sorted.slice(0, top)) {
    console.log(
      `${((micros / sum) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
  }
}

const args = process.argv.slice(2);
const topIndex = args.indexOf("--top");
const top = topIndex === -1 ? 25 : Number(args[topIndex + 1]);
const files = args.filter((arg, i) => arg.endsWith(".cpuprofile") && (topIndex === -1 || i !== topIndex + 1));
for (const file of files) {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const sum = tally(JSON.parse(fs.readFileSync(file, "utf8")) as Profile, self, total);
  console.log(`\n=== ${file}: ${(sum / 1000).toFixed(0)} ms sampled`);
  print("self time", self, sum, top);
  print("total time, jobd", total, sum, top, (name) => / (src|dist)\//.test(name));
}

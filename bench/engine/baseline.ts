/**
 * `npm run bench -- --baseline <rev>`: the engine benchmark's scenarios and stores of another commit,
 * extracted with `git archive` into a temp directory (its node_modules linked to this tree's) and loaded
 * into this process, so before and after run interleaved, under the same machine load.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { makeTempDir, removeTempDir } from "../compare/temp-dir.js";
import type { openBenchStore } from "./backends.js";
import type { SCENARIOS } from "./scenarios.js";

/** The code one run measures: this tree's, or a baseline commit's. */
export interface EngineBuild {
  label: string;
  scenarios: typeof SCENARIOS;
  openBenchStore: typeof openBenchStore;
  dispose(): void;
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `rev` (any git revision) extracted and loaded; its bench/engine must exist. */
export async function loadBaseline(rev: string): Promise<EngineBuild> {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  const commit = git("rev-parse", "--short", rev);
  const dir = makeTempDir(`jobd-engine-baseline-${commit}`);
  const archive = execFileSync("git", ["archive", commit, "src", "bench/engine", "package.json"], {
    cwd: ROOT,
    maxBuffer: 256 * 2 ** 20,
  });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const load = (file: string) => import(pathToFileURL(path.join(dir, "bench/engine", file)).href);
  return {
    label: commit,
    scenarios: (await load("scenarios.ts")).SCENARIOS,
    openBenchStore: (await load("backends.ts")).openBenchStore,
    dispose: () => removeTempDir(dir),
  };
}

/**
 * The jobd builds a bench run compares: this working tree, or commits extracted with `git archive`
 * into temp directories (their node_modules linked to this tree's), so before and after run side by
 * side in one invocation, under the same machine load.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir, removeTempDir } from "../compare/temp-dir.js";

/** One jobd to measure: a label and the script that runs its CLI from source. */
export interface Checkout {
  label: string;
  serveScript: string;
  dispose(): void;
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SERVE_SCRIPT = "bench/compare/jobd-serve.ts";

/** This working tree, uncommitted edits included. */
export function workingTree(): Checkout {
  return { label: "this tree", serveScript: path.join(ROOT, SERVE_SCRIPT), dispose() {} };
}

/** `rev` (any git revision) extracted to a temp directory; `role` names it in the report. */
export function checkoutOf(rev: string, role: string): Checkout {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  const commit = git("rev-parse", "--short", rev);
  const dir = makeTempDir(`jobd-baseline-${commit}`);
  const archive = execFileSync(
    "git",
    ["archive", commit, "src", SERVE_SCRIPT, "package.json", "tsconfig.json"],
    {
      cwd: ROOT,
      maxBuffer: 256 * 2 ** 20,
    },
  );
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return {
    label: `${commit} (${role})`,
    serveScript: path.join(dir, SERVE_SCRIPT),
    dispose: () => removeTempDir(dir),
  };
}

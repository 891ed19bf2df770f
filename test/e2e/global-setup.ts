/**
 * Builds dist/ once per test run when it is older than the sources, so the end-to-end tests start the
 * real `node bin/jobd.js serve` exactly as the README says. A type error elsewhere still lets tsc emit;
 * such a build is used with a warning (`npm test` type-checks before it runs vitest).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const BUILT_ENTRY = join(ROOT, "dist", "cli", "main.js");
const BUILD_INPUTS = ["src", "package.json", "tsconfig.json", "tsconfig.build.json"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    stat.mtimeMs,
  );
}

function isStale(): boolean {
  if (!existsSync(BUILT_ENTRY)) return true;
  const sources = Math.max(...BUILD_INPUTS.map((input) => newestMtime(join(ROOT, input))));
  return sources > statSync(BUILT_ENTRY).mtimeMs;
}

export default function buildDistIfStale(): void {
  if (!isStale()) return;
  const started = Date.now();
  const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
  if (build.status === 0) return;
  const emitted = existsSync(BUILT_ENTRY) && statSync(BUILT_ENTRY).mtimeMs >= started - 1000;
  const output = `${build.stdout}${build.stderr}`.split("\n").slice(0, 30).join("\n");
  if (!emitted) throw new Error(`npm run build failed; the e2e tests need dist/:\n${output}`);
  console.warn(`npm run build reported errors; running the e2e tests on what tsc emitted:\n${output}`);
}

/** Temp directories for the runs' stores, under one parent so a crashed run leaves one place to clean. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The bench's temp root (also where the machine's fsync latency is measured). */
export const BENCH_TMP_ROOT = path.join(os.tmpdir(), "jobd-bench-compare");

/** A new empty directory under the bench's temp root. */
export function makeTempDir(prefix: string): string {
  fs.mkdirSync(BENCH_TMP_ROOT, { recursive: true });
  return fs.mkdtempSync(path.join(BENCH_TMP_ROOT, `${prefix}-`));
}

/** Removes a directory made by makeTempDir. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

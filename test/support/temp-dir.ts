/**
 * A fresh temporary directory per test, removed when the test passes and kept (its path printed) when
 * it fails, so the files of a failed test can be inspected.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished, type TestContext } from "vitest";

/**
 * Creates `<tmp>/jobd-<prefix>-XXXXXX` for the running test; call it inside a test or a beforeEach.
 * Concurrent tests pass their context, so the directory is tied to the right test.
 */
export function tempDir(prefix = "test", test?: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), `jobd-${prefix}-`));
  (test?.onTestFinished ?? onTestFinished)(({ task }) => {
    if (task.result?.state === "fail") console.warn(`kept the files of failed test "${task.name}" in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

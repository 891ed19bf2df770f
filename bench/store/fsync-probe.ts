/**
 * Counts what group commit saves: run under `strace -f -c -e trace=fsync,fdatasync`, it opens a
 * SQLite store (synchronous=FULL), makes `count` creates — all at once (`concurrent`), one after the
 * other (`sequential`), or none (`none`: the open and close alone, to subtract) — and closes it.
 * `node --import tsx bench/store/fsync-probe.ts <concurrent|sequential|none> <count>`; prints `RESULT <commits>`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteJobStore } from "../../src/store/sqlite/sqlite-job-store.js";
import { benchJob } from "./jobs.js";

const [mode = "none", countText = "1000"] = process.argv.slice(2);
const count = Number(countText);
const dir = mkdtempSync(join(tmpdir(), "jobd-bench-fsync-"));
const store = SqliteJobStore.open({ dataDir: dir, sync: "full" });
const before = store.commits;
if (mode === "concurrent")
  await Promise.all(Array.from({ length: count }, (_, i) => store.create(benchJob(i))));
if (mode === "sequential") for (let i = 0; i < count; i++) await store.create(benchJob(i));
const commits = store.commits - before;
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(`RESULT ${commits}`);

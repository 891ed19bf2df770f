/**
 * A contender for the data-directory lock: `node --import tsx lock-child.ts <dirs as JSON>`. Prints
 * `ready`, reads `<start ms> <interval ms>` from stdin, then for round r waits until start + r·interval
 * (sleeping, then spinning the last 2 ms so all contenders call at the same instant), calls the real
 * lockDataDir on dirs[r] and prints `{"round":r,"ok":true}` or `{"round":r,"ok":false,"error":…}`.
 * Locks it wins are held until the process exits (stdin closed), so at most one success per round
 * is the expected outcome whatever the timing.
 */
import { createInterface } from "node:readline";
import { type DataDirLock, lockDataDir } from "../../../src/store/data-dir.js";

const dirs = JSON.parse(process.argv[2] ?? "[]") as string[];
const held: DataDirLock[] = [];
const pause = new Int32Array(new SharedArrayBuffer(4));

function waitUntil(at: number): void {
  const sleep = at - Date.now() - 2;
  if (sleep > 0) Atomics.wait(pause, 0, 0, sleep);
  while (Date.now() < at) {
    // spin: the contenders must call lockDataDir within microseconds of each other
  }
}

const lines = createInterface({ input: process.stdin });
let started = false;
lines.on("line", (line) => {
  if (started) return;
  started = true;
  const [start, interval] = line.split(" ").map(Number) as [number, number];
  dirs.forEach((dir, round) => {
    waitUntil(start + round * interval);
    try {
      held.push(lockDataDir(dir));
      process.stdout.write(`${JSON.stringify({ round, ok: true })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ round, ok: false, error: (error as Error).message })}\n`);
    }
  });
  process.stdout.write("done\n");
});
lines.on("close", () => process.exit(0));
process.stdout.write("ready\n");

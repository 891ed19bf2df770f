/**
 * The data-directory lock under real contention (DESIGN.md §3: one server owns a directory at a time).
 * CONTENDERS processes call the real lockDataDir at the same instant on the same directory, round after
 * round, each round on a fresh directory that holds no lock, the lock of a dead process, or an empty lock
 * left by a crash. Exactly one contender may win each round; the others must be told who holds it; and
 * the file must name the winner.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { LOCK_FILE } from "../../../src/store/data-dir.js";
import { tempDir } from "../../support/temp-dir.js";

const CONTENDERS = 8;
const ROUNDS_PER_KIND = 15;
const INTERVAL_MS = 25;
const CHILD = fileURLToPath(new URL("./lock-child.ts", import.meta.url));
const KINDS = ["no lock", "dead pid", "empty lock"] as const;
type Kind = (typeof KINDS)[number];

interface Outcome {
  round: number;
  ok: boolean;
  error?: string;
}

/** A pid that surely belongs to no process: one that has just exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid;

function prepare(root: string, round: number, kind: Kind, dead: number): string {
  const dir = join(root, `r${round}`);
  mkdirSync(dir);
  const file = join(dir, LOCK_FILE);
  if (kind === "dead pid") writeFileSync(file, JSON.stringify({ pid: dead, hostname: hostname() }));
  if (kind === "empty lock") {
    writeFileSync(file, "");
    const past = new Date(Date.now() - 60_000); // left by a crash a minute ago
    utimesSync(file, past, past);
  }
  return dir;
}

class Contender {
  readonly outcomes: Outcome[] = [];
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  readonly exited: Promise<void>;
  private stderr = "";

  constructor(readonly child: ChildProcess) {
    let buffered = "";
    let onReady = () => {};
    let onDone = () => {};
    this.ready = new Promise((resolve) => (onReady = resolve));
    this.done = new Promise((resolve) => (onDone = resolve));
    this.exited = new Promise((resolve, reject) =>
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`child: ${this.stderr}`)))),
    );
    child.stderr?.on("data", (chunk) => (this.stderr += chunk));
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      const lines = (buffered + chunk).split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines)
        if (line === "ready") onReady();
        else if (line === "done") onDone();
        else this.outcomes.push(JSON.parse(line) as Outcome);
    });
  }
}

test(`one winner per round among ${CONTENDERS} processes taking the lock at the same instant`, async () => {
  const root = tempDir("lock-race");
  const dead = deadPid();
  const rounds = Array.from({ length: KINDS.length * ROUNDS_PER_KIND }, (_, round) => ({
    kind: KINDS[round % KINDS.length] as Kind,
    dir: "",
  }));
  rounds.forEach((round, i) => {
    round.dir = prepare(root, i, round.kind, dead);
  });
  const contenders = Array.from(
    { length: CONTENDERS },
    () =>
      new Contender(
        spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(rounds.map((r) => r.dir))], {
          stdio: ["pipe", "pipe", "pipe"],
        }),
      ),
  );
  try {
    await Promise.all(contenders.map((c) => Promise.race([c.ready, c.exited])));
    const start = Date.now() + 100;
    for (const c of contenders) c.child.stdin?.write(`${start} ${INTERVAL_MS}\n`);
    await Promise.all(contenders.map((c) => Promise.race([c.done, c.exited])));
  } finally {
    for (const c of contenders) c.child.stdin?.end();
  }
  await Promise.all(contenders.map((c) => c.exited));

  const pids = contenders.map((c) => c.child.pid);
  const wrong: string[] = [];
  rounds.forEach(({ kind, dir }, round) => {
    const winners = contenders.filter((c) => c.outcomes.find((o) => o.round === round)?.ok);
    const errors = contenders.flatMap((c) => c.outcomes.filter((o) => o.round === round && !o.ok));
    const holder = (() => {
      try {
        return (JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as { pid: number }).pid;
      } catch {
        return undefined;
      }
    })();
    const left = readdirSync(dir).filter((name) => name !== LOCK_FILE);
    if (left.length > 0) wrong.push(`round ${round} (${kind}): left ${left.join(", ")}`);
    if (winners.length !== 1) wrong.push(`round ${round} (${kind}): ${winners.length} holders`);
    else if (holder !== winners[0]?.child.pid)
      wrong.push(
        `round ${round} (${kind}): the lock names pid ${holder}, the winner is ${winners[0]?.child.pid}`,
      );
    for (const { error } of errors) {
      const named = /is in use by another jobd \(pid (\d+) on /.exec(error ?? "");
      if (!named || !pids.includes(Number(named[1])))
        wrong.push(`round ${round} (${kind}): a loser was told "${error}"`);
    }
  });
  expect(wrong).toEqual([]);
});

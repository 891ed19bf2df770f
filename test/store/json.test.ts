/**
 * JsonJobStore: the conformance suite, plus the file behaviour only JSON has (DESIGN.md §3):
 * snapshot + journal, torn journal tail, corrupt files refused and left byte-identical, atomic snapshots,
 * modes, the directory lock.
 */
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { DEFAULT_PERSISTENCE_CONFIG } from "../../src/config/persistence.js";
import type { Job } from "../../src/domain/job.js";
import { openStore, type StoreLogger } from "../../src/store/create-store.js";
import { Journal } from "../../src/store/json/journal.js";
import { JOURNAL_FILE, JsonJobStore, SNAPSHOT_FILE } from "../../src/store/json/json-job-store.js";
import { makeJob, makeJobs } from "../support/job-factory.js";
import { tempDir } from "../support/temp-dir.js";
import { runJobStoreConformance } from "./conformance/index.js";

const quiet: StoreLogger = { warn: () => {} };
const open = (dataDir: string, logger: StoreLogger = quiet) =>
  JsonJobStore.open({ dataDir, autoSaveInterval: 0, logger });

runJobStoreConformance("json", async () => {
  const dir = tempDir("json");
  return { store: await open(dir), reopen: () => open(dir), cleanup: async () => {} };
});

/** What a SIGKILL would leave on disk right now: a copy of the store's files in a fresh directory. */
function crashImage(dir: string): string {
  const copy = join(tempDir("json-image"), "data");
  mkdirSync(copy);
  for (const file of [SNAPSHOT_FILE, JOURNAL_FILE])
    if (existsSync(join(dir, file))) copyFileSync(join(dir, file), join(copy, file));
  return copy;
}

/** A crash image of a store whose journal holds `jobs`, one line each. */
async function journalImage(jobs: Job[]): Promise<string> {
  const dir = tempDir("json");
  const store = await open(dir);
  for (const job of jobs) await store.create(job);
  const image = crashImage(dir);
  await store.close();
  return image;
}

const journalLines = (dir: string) =>
  readFileSync(join(dir, JOURNAL_FILE), "utf8").split("\n").filter(Boolean);

describe("JsonJobStore files", () => {
  test("PERSIST-002 creation makes a missing data directory 0700, its files 0600, and takes the lock", async () => {
    const dir = join(tempDir("json"), "new", "data");
    const store = await open(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, JOURNAL_FILE)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, "jobd.lock"))).toBe(true);
    await store.create(makeJob());
    await store.close();
    expect(statSync(join(dir, SNAPSHOT_FILE)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, "jobd.lock"))).toBe(false);
  });

  test("PERSIST-002 a directory the user made keeps its mode", async () => {
    const dir = tempDir("json");
    chmodSync(dir, 0o750);
    const store = await open(dir);
    await store.close();
    expect(statSync(dir).mode & 0o777).toBe(0o750);
  });

  test("PERSIST-008 acknowledged changes are in the journal; flush moves them to jobs.json and empties it", async () => {
    const dir = tempDir("json");
    const store = await open(dir);
    const jobs = [makeJob(), makeJob(), makeJob()];
    await store.createMany(jobs.slice(0, 2));
    await store.create(jobs[2] as Job);
    expect(journalLines(dir)).toHaveLength(2);
    await store.flush();
    expect(readFileSync(join(dir, JOURNAL_FILE), "utf8")).toBe("");
    const snapshot = JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), "utf8"));
    expect(snapshot).toEqual({ jobd: "jobs", version: 1, jobs });
    await store.close();
  });

  test("a line appended in the next turn, before its poll phase, shares the first line's sync", async () => {
    // What a remote worker's lease, read by the poll after its `complete` calls, relies on (after-next-poll.ts).
    const journal = await Journal.open(join(tempDir("json"), JOURNAL_FILE), 0);
    const handle = (journal as unknown as { handle: { datasync: () => Promise<void> } }).handle;
    const datasync = vi.spyOn(handle, "datasync");
    const put = (job: Job) => [{ op: "put" as const, job }];
    const [first, second] = makeJobs(2) as [Job, Job];
    const firstDone = journal.append(put(first)); // schedules the round
    const secondDone = new Promise((resolve) => setImmediate(() => resolve(journal.append(put(second)))));
    await Promise.all([firstDone, secondDone]);
    expect(datasync).toHaveBeenCalledTimes(1);
    await journal.close();
  });

  test("PERSIST-008 a clean close leaves everything in jobs.json and an empty journal", async () => {
    const dir = tempDir("json");
    const store = await open(dir);
    await store.createMany(makeJobs(10));
    await store.close();
    expect(readFileSync(join(dir, JOURNAL_FILE), "utf8")).toBe("");
    expect(JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), "utf8")).jobs).toHaveLength(10);
  });

  test("PERSIST-009 load replays the journal over the snapshot (a crash image, never closed)", async () => {
    const dir = tempDir("json");
    const store = await open(dir);
    const [a, b, c] = [makeJob(), makeJob(), makeJob()];
    await store.createMany([a, b]);
    await store.flush();
    await store.create(c);
    await store.delete(a.id);
    await store.save({ ...b, payload: "changed" });
    const image = crashImage(dir);
    const reopened = await open(image);
    expect(await reopened.list()).toEqual(await store.list());
    await Promise.all([reopened.close(), store.close()]);
  });

  test("writes made while a flush runs stay in the journal and survive", async () => {
    const dir = tempDir("json");
    const store = await open(dir);
    await store.createMany(makeJobs(5000));
    let flushing = true;
    const flushes = store.flush().finally(() => {
      flushing = false;
    });
    // Writers keep going through the whole flush, so lines arrive while the journal is being cut.
    const writer = async () => {
      let written = 0;
      for (; flushing || written < 20; written++) await store.create(makeJob());
      return written;
    };
    const written = await Promise.all([writer(), writer(), writer(), writer(), flushes]);
    const total = 5000 + written.reduce((sum: number, n) => sum + (n ?? 0), 0);
    for (const line of journalLines(dir)) expect(() => JSON.parse(line)).not.toThrow();
    const reopened = await open(crashImage(dir));
    expect((await reopened.counts()).counts.queued).toBe(total);
    await Promise.all([reopened.close(), store.close()]);
  });

  test("auto-save writes the snapshot when something changed", async () => {
    const dir = tempDir("json");
    const store = await JsonJobStore.open({ dataDir: dir, autoSaveInterval: 0.05, logger: quiet });
    await store.create(makeJob());
    await vi.waitFor(() => expect(readFileSync(join(dir, JOURNAL_FILE), "utf8")).toBe(""), { timeout: 5000 });
    expect(JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), "utf8")).jobs).toHaveLength(1);
    await store.close();
  });

  test("a torn last journal line is ignored with a warning naming file and line, and cut off", async () => {
    const jobs = makeJobs(3);
    const image = await journalImage(jobs);
    appendFileSync(join(image, JOURNAL_FILE), '[{"put":{"id":"01');
    const warnings: string[] = [];
    const reopened = await open(image, { warn: (message) => warnings.push(message) });
    expect(await reopened.list()).toEqual(jobs);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${join(image, JOURNAL_FILE)}: ignored the torn last line 4`);
    const later = makeJob();
    await reopened.create(later);
    expect(journalLines(image)).toHaveLength(4);
    const again = await open(crashImage(image));
    expect(await again.list()).toEqual([...jobs, later]);
    await Promise.all([reopened.close(), again.close()]);
  });

  test("a whole last line that is JSON but not valid changes is corruption, not a torn write", async () => {
    const image = await journalImage(makeJobs(3));
    const journal = join(image, JOURNAL_FILE);
    for (const [line, reason] of [
      ['{"foo":1}\n', "line 4 is not a list of changes"],
      ['[{"put":{"id":"not-a-uuid","type":"x"}}]\n', "line 4"],
    ] as const) {
      const copy = crashImage(image);
      appendFileSync(join(copy, JOURNAL_FILE), line);
      const before = readFileSync(join(copy, JOURNAL_FILE));
      await expect(open(copy)).rejects.toThrow(`cannot load ${join(copy, JOURNAL_FILE)}: ${reason}`);
      expect(readFileSync(join(copy, JOURNAL_FILE))).toEqual(before);
    }
    // A newline does not make a line whole: a power cut can keep a write's later page and lose an earlier one.
    appendFileSync(journal, '\u0000\u0000\u0000"status":"queued"}}]\n');
    const warnings: string[] = [];
    const reopened = await open(image, { warn: (message) => warnings.push(message) });
    expect(warnings[0]).toContain("ignored the torn last line 4 (is not valid JSON");
    expect(await reopened.list()).toHaveLength(3);
    await reopened.close();
  });

  test("a bad journal line before the last is refused, naming file and line; nothing is written", async () => {
    const image = await journalImage(makeJobs(3));
    const journal = join(image, JOURNAL_FILE);
    const lines = readFileSync(journal, "utf8").split("\n");
    lines[1] = "garbage";
    writeFileSync(journal, lines.join("\n"));
    const before = readFileSync(journal);
    await expect(open(image)).rejects.toThrow(`cannot load ${journal}: line 2 is not valid JSON`);
    expect(readFileSync(journal)).toEqual(before);
    expect(existsSync(join(image, SNAPSHOT_FILE))).toBe(false);
    expect(existsSync(join(image, "jobd.lock"))).toBe(false);
  });

  test("a corrupt snapshot is refused, naming file and line, and left byte-identical", async () => {
    const dir = tempDir("json");
    const store = await open(dir);
    await store.createMany(makeJobs(4));
    await store.close();
    const snapshot = join(dir, SNAPSHOT_FILE);
    const lines = readFileSync(snapshot, "utf8").split("\n");
    lines[3] = (lines[3] as string).replace('"status":"queued"', '"status":"lost"');
    writeFileSync(snapshot, lines.join("\n"));
    const before = readFileSync(snapshot);
    await expect(open(dir)).rejects.toThrow(
      `cannot load ${snapshot}: line 4 has a job with the unknown status "lost"`,
    );
    writeFileSync(snapshot, before.subarray(0, before.length - 10));
    const truncated = readFileSync(snapshot);
    await expect(open(dir)).rejects.toThrow(`cannot load ${snapshot}: line`);
    expect(readFileSync(snapshot)).toEqual(truncated);
  });

  test("the snapshot is never seen half-written while flushes run", async () => {
    const dir = tempDir("json");
    const store = await open(dir);
    await store.createMany(makeJobs(20_000, (i) => ({ payload: { i, text: "x".repeat(100) } })));
    await store.flush();
    let flushing = true;
    const flushes = (async () => {
      for (let i = 0; i < 5; i++) await store.flush();
      flushing = false;
    })();
    let reads = 0;
    while (flushing) {
      const snapshot = JSON.parse(await readFile(join(dir, SNAPSHOT_FILE), "utf8"));
      expect(snapshot.jobs).toHaveLength(20_000);
      reads++;
    }
    await flushes;
    expect(reads).toBeGreaterThan(0);
    await store.close();
  });

  test("a second open of the same directory is refused, naming the directory", async () => {
    const dir = tempDir("json");
    const store = await open(dir);
    await expect(open(dir)).rejects.toThrow(`data directory ${dir} is in use`);
    await store.close();
    await (await open(dir)).close();
  });

  test("openStore opens the JSON backend when persistence is enabled with backend json", async () => {
    const dir = tempDir("json");
    const store = await openStore(
      { ...DEFAULT_PERSISTENCE_CONFIG, enabled: true, storagePath: dir },
      { logger: quiet },
    );
    expect([store.backend, store.durability]).toEqual(["json", "power-loss"]);
    await store.close();
  });
});

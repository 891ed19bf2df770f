/**
 * SqliteJobStore: the conformance suite, plus what only SQLite has (DESIGN.md §3): jobs.db in WAL mode
 * at the latest schema, the sync modes and their durability, file modes, the lock, migrations, and
 * group commit (one transaction for the writes of one turn, each write rolled back alone, answers only
 * after the COMMIT). Query plans are in sqlite-plans.test.ts.
 */
import { chmodSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { resolvePersistenceConfig } from "../../src/config/persistence.js";
import type { Job } from "../../src/domain/job.js";
import { complete } from "../../src/domain/transitions.js";
import { openStore } from "../../src/store/create-store.js";
import { CountDeltas } from "../../src/store/sqlite/count-deltas.js";
import { GroupCommit } from "../../src/store/sqlite/group-commit.js";
import { jobToRow } from "../../src/store/sqlite/job-row.js";
import { INSERT_SQL } from "../../src/store/sqlite/job-sql.js";
import { migrate } from "../../src/store/sqlite/migrate.js";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { DB_FILE } from "../../src/store/sqlite/open-database.js";
import { SqliteJobStore } from "../../src/store/sqlite/sqlite-job-store.js";
import { makeJob, makeJobs, T0 } from "../support/job-factory.js";
import { tempDir } from "../support/temp-dir.js";
import { runJobStoreConformance } from "./conformance/index.js";

const open = (dataDir: string, sync?: "full" | "normal") => SqliteJobStore.open({ dataDir, sync });
/** A second, read-only connection to the store's database: what another process would see. */
const reader = (dataDir: string) => new Database(join(dataDir, DB_FILE), { readonly: true });
const mode = (path: string) => statSync(path).mode & 0o777;

/** Stores jobs with plain INSERTs, as an older jobd's schema (its triggers, if any) would count them. */
function insertRaw(db: Database.Database, jobs: readonly Job[]): void {
  const insert = db.prepare(INSERT_SQL);
  for (const job of jobs) insert.run(jobToRow(job));
}

/** `job_counts` (its non-zero rows: a negative count would show) agrees with counting the stored jobs. */
function expectCountsMatchRows(dataDir: string): void {
  const db = reader(dataDir);
  const order = "ORDER BY status, queue";
  const kept = db.prepare(`SELECT status, queue, n FROM job_counts WHERE n <> 0 ${order}`).all();
  const counted = db
    .prepare(`SELECT status, queue, count(*) AS n FROM jobs GROUP BY status, queue ${order}`)
    .all();
  db.close();
  expect(kept).toEqual(counted);
}

runJobStoreConformance("sqlite", async () => {
  const dataDir = tempDir("sqlite");
  return { store: open(dataDir), reopen: async () => open(dataDir), cleanup: async () => {} };
});

describe("SqliteJobStore files", () => {
  test("synchronous=full is power-loss durable (the default), normal is process-crash", async () => {
    const full = await openStore(
      resolvePersistenceConfig({ enabled: true, backend: "sqlite", storagePath: tempDir("sqlite") }),
    );
    const normal = await openStore(
      resolvePersistenceConfig({
        enabled: true,
        backend: "sqlite",
        storagePath: tempDir("sqlite"),
        sqliteSync: "normal",
      }),
    );
    expect([full.backend, full.durability, full.capabilities]).toEqual([
      "sqlite",
      "power-loss",
      { persistent: true, singleNode: true },
    ]);
    expect([normal.backend, normal.durability]).toEqual(["sqlite", "process-crash"]);
    await Promise.all([full.close(), normal.close()]);
  });

  test("jobs.db is in WAL mode at the latest schema version", async () => {
    const dir = tempDir("sqlite");
    const store = open(dir);
    const db = reader(dir);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
    await store.close();
  });

  test("PERSIST-002 a missing data directory is made 0700; jobs.db, -wal and -shm are 0600; the lock is taken and released", async () => {
    const dir = join(tempDir("sqlite"), "new", "data");
    const store = open(dir);
    await store.create(makeJob());
    expect(mode(dir)).toBe(0o700);
    for (const file of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`])
      expect(mode(join(dir, file)), file).toBe(0o600);
    expect(existsSync(join(dir, "jobd.lock"))).toBe(true);
    await store.close();
    expect(existsSync(join(dir, "jobd.lock"))).toBe(false);
  });

  test("PERSIST-002 a directory the user made keeps its mode", async () => {
    const dir = tempDir("sqlite");
    chmodSync(dir, 0o750);
    await open(dir).close();
    expect(mode(dir)).toBe(0o750);
  });

  test("a second open of the same directory is refused, naming it; once closed it opens", async () => {
    const dir = tempDir("sqlite");
    const store = open(dir);
    expect(() => open(dir)).toThrow(`data directory ${dir} is in use`);
    await store.close();
    await open(dir).close();
  });

  test("a database from a newer jobd is refused, unchanged, and the lock is released", async () => {
    const dir = tempDir("sqlite");
    await open(dir).close();
    const db = new Database(join(dir, DB_FILE));
    db.pragma("user_version = 999");
    db.close();
    expect(() => open(dir)).toThrow(/schema version 999, newer than this jobd knows/);
    expect(existsSync(join(dir, "jobd.lock"))).toBe(false);
    const after = reader(dir);
    expect(after.pragma("user_version", { simple: true })).toBe(999);
    after.close();
  });

  test("a version-1 database is migrated, its counts filled in from the stored jobs", async () => {
    const dir = tempDir("sqlite");
    const db = new Database(join(dir, DB_FILE));
    migrate(db, MIGRATIONS.slice(0, 1));
    const jobs = makeJobs(30, (i) => ({ status: i % 3 === 0 ? "failed" : "queued", queue: `q${i % 2}` }));
    insertRaw(db, jobs);
    db.close();
    const store = open(dir);
    expect((await store.counts()).counts).toMatchObject({ queued: 20, failed: 10 });
    expect((await store.query({ limit: 1, offset: 0, status: ["failed"], queue: ["q0"] })).total).toBe(5);
    await store.create(makeJob({ queue: "q0" }));
    expect((await store.counts()).queues.q0?.queued).toBe(11);
    await store.close();
  });

  test("a version-4 database is migrated: its failed and cancelled jobs are found by their new indexes", async () => {
    const dir = tempDir("sqlite");
    const db = new Database(join(dir, DB_FILE));
    migrate(db, MIGRATIONS.slice(0, 4));
    const jobs = makeJobs(30, (i) => ({
      status: (["queued", "failed", "cancelled"] as const)[i % 3],
      createdAt: T0 + i * 1000,
    }));
    insertRaw(db, jobs);
    db.close();
    const store = open(dir);
    const failed = await store.query({ limit: 3, offset: 1, status: ["failed"] });
    expect(failed.jobs.map((job) => job.id)).toEqual([jobs[25], jobs[22], jobs[19]].map((job) => job?.id));
    const cancelled = await store.query({ limit: 50, offset: 0, status: ["cancelled"] });
    expect(cancelled.jobs).toHaveLength(10);
    expect(cancelled.jobs.every((job) => job.status === "cancelled")).toBe(true);
    await store.close();
    const after = reader(dir);
    const indexes = after.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(["jobs_failed_history", "jobs_cancelled_history"]));
    expect(indexes).not.toContain("jobs_status_history");
    after.close();
  });

  test("a version-5 database gets ascending history indexes; its history pages keep their order", async () => {
    const dir = tempDir("sqlite");
    const db = new Database(join(dir, DB_FILE));
    migrate(db, MIGRATIONS.slice(0, 5));
    const jobs = makeJobs(30, (i) => ({
      status: (["completed", "failed"] as const)[i % 2],
      type: `t${i % 3}`,
      createdAt: T0 + i * 1000,
    }));
    insertRaw(db, jobs);
    db.close();
    const store = open(dir);
    const newestFirst = [...jobs].reverse();
    const ids = (found: { jobs: readonly { id: string }[] }) => found.jobs.map((job) => job.id);
    const page = await store.query({ limit: 4, offset: 2 });
    expect(ids(page)).toEqual(newestFirst.slice(2, 6).map((job) => job.id));
    const byType = await store.query({ limit: 50, offset: 0, type: ["t1"] });
    expect(ids(byType)).toEqual(newestFirst.filter((job) => job.type === "t1").map((job) => job.id));
    const failed = await store.query({ limit: 2, offset: 0, status: ["failed"] });
    expect(ids(failed)).toEqual([jobs[29], jobs[27]].map((job) => job?.id));
    await store.close();
    const after = reader(dir);
    const historySql = after
      .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name LIKE 'jobs_%history'")
      .pluck()
      .all() as string[];
    expect(historySql).toHaveLength(5);
    for (const sql of historySql) expect(sql).not.toMatch(/DESC/);
    after.close();
  });

  test("a version-2 database (counts kept by triggers) is migrated to counts kept by the store, unchanged", async () => {
    const dir = tempDir("sqlite");
    const db = new Database(join(dir, DB_FILE));
    migrate(db, MIGRATIONS.slice(0, 2));
    insertRaw(
      db,
      makeJobs(30, (i) => ({ status: i % 3 === 0 ? "failed" : "queued", queue: `q${i % 2}` })),
    );
    db.prepare("UPDATE jobs SET status = 'cancelled' WHERE rowid <= 4 AND status = 'queued'").run();
    db.prepare("DELETE FROM jobs WHERE rowid = 30").run();
    db.close();
    const store = open(dir);
    expect((await store.counts()).counts).toMatchObject({ queued: 17, failed: 10, cancelled: 2 });
    await store.create(makeJob({ queue: "q0" }));
    await store.close();
    const after = reader(dir);
    expect(after.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'").pluck().get()).toBe(0);
    after.close();
    expectCountsMatchRows(dir);
  });

  test("a closed store refuses reads and writes with unavailable", async () => {
    const store = open(tempDir("sqlite"));
    await store.close();
    await expect(store.get("x")).rejects.toMatchObject({ code: "unavailable" });
    await expect(store.create(makeJob())).rejects.toMatchObject({ code: "unavailable" });
  });
});

describe("SqliteJobStore claims by type", () => {
  test("a claim for several types takes them in claim order across types, each job once", async () => {
    const store = open(tempDir("sqlite"));
    const jobs = [
      makeJob({ type: "a", priority: 0, runAt: T0 - 3 }),
      makeJob({ type: "b", priority: 5, runAt: T0 - 1 }),
      makeJob({ type: "a", priority: 5, runAt: T0 - 2 }),
      makeJob({ type: "b", priority: 0, runAt: T0 - 4 }),
      ...makeJobs(50, () => ({ type: "other", priority: 9 })),
    ];
    await store.createMany(jobs);
    const claim = (types: string[], limit: number) =>
      store.claim({ workerId: "w", now: T0, limit, leaseMs: 1000, types });
    const order = (indexes: number[]) => indexes.map((i) => jobs[i]?.id);
    expect((await claim(["a", "b", "a"], 3)).map((job) => job.id)).toEqual(order([2, 1, 3]));
    expect((await claim(["b", "a"], 9)).map((job) => job.id)).toEqual(order([0]));
    expect(await claim(["none"], 9)).toEqual([]);
    await store.close();
  });
});

describe("SqliteJobStore group commit", () => {
  test("1,000 concurrent creates are committed in one transaction", async () => {
    const store = open(tempDir("sqlite"));
    const before = store.commits;
    const results = await Promise.all(makeJobs(1000).map((job) => store.create(job)));
    expect(results.every((result) => result.created)).toBe(true);
    expect(store.commits - before).toBe(1);
    expect((await store.counts()).counts.queued).toBe(1000);
    await store.close();
  });

  test("a write queued in the next turn, before its poll phase, joins the group", async () => {
    // What a remote worker's lease, read by the poll after its `complete` calls, relies on (after-next-poll.ts).
    const store = open(tempDir("sqlite"));
    const [first, second] = makeJobs(2) as [Job, Job];
    const before = store.commits;
    const firstDone = store.create(first); // schedules the group's flush
    const secondDone = new Promise((resolve) => setImmediate(() => resolve(store.create(second))));
    await Promise.all([firstDone, secondDone]);
    expect(store.commits - before).toBe(1);
    await store.close();
  });

  test("a write that fails is rolled back alone; the rest of its group commits", async () => {
    const dir = tempDir("sqlite");
    const store = open(dir);
    const [a, b, c] = makeJobs(3) as [Job, Job, Job];
    await store.create(c);
    const before = store.commits;
    const outcomes = await Promise.allSettled([
      store.create(a),
      store.createMany([b, { ...a }]), // a's id twice: conflict, so b is not stored either
      store.update(c.id, (job) =>
        complete(job, { workerId: "nobody", attempt: 1 }, { now: T0, result: null }),
      ),
      store.create({ ...c, idempotencyKey: "other" }), // c's id again: one failing statement, no savepoint
      store.delete(c.id),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "rejected",
      "rejected",
      "rejected",
      "fulfilled",
    ]);
    expect(store.commits - before).toBe(1);
    expect((await store.list()).map((job) => job.id)).toEqual([a.id]);
    expect((await store.counts()).counts).toMatchObject({ queued: 1, completed: 0 });
    await store.close();
    expectCountsMatchRows(dir);
  });

  test("neighbouring coalesced writes share one runMany call; if it fails, each runs alone", async () => {
    const db = new Database(join(tempDir("sqlite"), DB_FILE));
    migrate(db);
    const writes = new GroupCommit(db, new CountDeltas(db));
    const calls: number[][] = [];
    const tenfold = (items: readonly number[]) => {
      calls.push([...items]);
      if (items.includes(5)) throw new Error("5 refused");
      return items.map((item) => item * 10);
    };
    const first = await Promise.allSettled([
      writes.writeCoalesced(1, tenfold),
      writes.writeCoalesced(2, tenfold),
      writes.writeSingle(() => "between"), // ends the run: 3 starts another
      writes.writeCoalesced(3, tenfold),
      writes.writeCoalesced(4, tenfold),
      writes.writeCoalesced(5, tenfold),
    ]);
    expect(first.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : "refused"))).toEqual([
      10,
      20,
      "between",
      30,
      40,
      "refused",
    ]);
    expect(calls).toEqual([[1, 2], [3, 4, 5], [3], [4], [5]]);
    expect(writes.commits).toBe(1);
    db.close();
  });

  test("creates of one group share an INSERT; one that fails is refused alone and the others are stored", async () => {
    const dir = tempDir("sqlite");
    const store = open(dir);
    const [a, b, c, d] = makeJobs(4, (i) => ({ queue: `q${i % 2}` })) as [Job, Job, Job, Job];
    await store.create(c);
    const before = store.commits;
    const outcomes = await Promise.allSettled([
      store.create(a),
      store.create({ ...c, queue: "elsewhere" }), // c's id again: the shared INSERT fails, then this one alone
      store.create(b),
      store.create(d),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(outcomes[1]).toMatchObject({ reason: { code: "conflict" } });
    expect(store.commits - before).toBe(1);
    expect((await store.list()).map((job) => job.id).sort()).toEqual([a.id, b.id, c.id, d.id].sort());
    expect((await store.counts()).queues).toMatchObject({ q0: { queued: 2 }, q1: { queued: 2 } });
    await store.close();
    expectCountsMatchRows(dir);
  });

  test("every kind of write keeps job_counts equal to the stored rows", async () => {
    const dir = tempDir("sqlite");
    const store = open(dir);
    const [a, b, c, d] = makeJobs(4, (i) => ({ queue: `q${i % 2}` })) as [Job, Job, Job, Job];
    await store.createMany([a, b, c]);
    await store.save(d); // new
    await store.save({ ...a, status: "failed", queue: "q9", finishedAt: T0 }); // moves a
    await store.remove(b.id, () => {});
    await store.delete(c.id);
    await store.claim({ workerId: "w", now: T0 + 1, limit: 5, leaseMs: 1000 });
    await store.updateMany({ status: ["processing"] }, (job) => ({
      ...job,
      status: "cancelled",
      finishedAt: T0,
    }));
    expect(await store.cleanup(T0 + 1)).toBe(2);
    expect((await store.counts()).counts).toMatchObject({ queued: 0, failed: 0, cancelled: 0 });
    await store.close();
    expectCountsMatchRows(dir);
  });

  test("the count changes of a write rolled back mid-way are dropped; the rest of its group's are kept", async () => {
    const dir = tempDir("sqlite");
    const store = open(dir);
    await store.createMany(
      makeJobs(6, (i) => ({ queue: `q${i % 2}`, status: i < 4 ? "queued" : "completed" })),
    );
    let seen = 0;
    const cancelHalfThenFail = (job: Job) => {
      if (++seen === 3) throw new Error("third job refused");
      return { ...job, status: "cancelled" as const, finishedAt: T0 };
    };
    const outcomes = await Promise.allSettled([
      store.updateMany({ status: ["queued"] }, cancelHalfThenFail), // two moved to cancelled, then undone
      store.claim({ workerId: "w", now: T0 + 1, limit: 2, leaseMs: 1000 }),
      store.create(makeJob({ queue: "q2" })),
      store.cleanup(T0 + 1),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    expect((await store.counts()).counts).toMatchObject({
      queued: 3,
      processing: 2,
      cancelled: 0,
      completed: 0,
    });
    await store.close();
    expectCountsMatchRows(dir);
  });

  test("a batch goes in multi-row chunks, still all or none: a stored id in chunk 11 stores nothing", async () => {
    const store = open(tempDir("sqlite"));
    const stored = makeJob();
    await store.create(stored);
    const batch = makeJobs(1000);
    batch[700] = { ...stored, idempotencyKey: null };
    await expect(store.createMany(batch)).rejects.toMatchObject({ code: "conflict" });
    expect((await store.counts()).counts.queued).toBe(1);
    const results = await store.createMany(batch.filter((_, i) => i !== 700));
    expect(results.map((result) => result.job.id)).toEqual(
      batch.filter((_, i) => i !== 700).map((job) => job.id),
    );
    expect((await store.counts()).counts.queued).toBe(1000);
    await store.close();
  });

  test("a write answers only once committed: another connection already sees it", async () => {
    const dir = tempDir("sqlite");
    const store = open(dir);
    const db = reader(dir);
    const visible = (id: string) => db.prepare("SELECT count(*) FROM jobs WHERE id = ?").pluck().get(id);
    const job = makeJob();
    const seenOnAnswer = store.create(job).then(() => visible(job.id));
    expect(visible(job.id)).toBe(0);
    expect(await seenOnAnswer).toBe(1);
    db.close();
    await store.close();
  });

  test("close commits the writes still waiting for their group", async () => {
    const dir = tempDir("sqlite");
    const store = open(dir);
    const job = makeJob();
    const created = store.create(job);
    await store.close();
    await expect(created).resolves.toMatchObject({ created: true });
    const reopened = open(dir);
    expect(await reopened.get(job.id)).toEqual(job);
    await reopened.close();
  });
});

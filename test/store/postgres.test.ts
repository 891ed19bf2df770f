/**
 * PostgresJobStore: the conformance suite on a fresh schema per test, plus what only PostgreSQL
 * promises: several nodes (store instances) sharing one table, race-safe migrations, notifications.
 *
 * Needs PostgreSQL at JOBD_TEST_DATABASE_URL (default postgres://$PGUSER@127.0.0.1:5432/test); CI starts
 * it. When it is unreachable this file fails saying so, unless JOBD_TEST_BACKENDS leaves postgres out.
 */
import pg from "pg";
import { afterAll, describe, expect, onTestFinished, test } from "vitest";
import { DEFAULT_PERSISTENCE_CONFIG } from "../../src/config/persistence.js";
import type { Job } from "../../src/domain/job.js";
import { complete, failAttempt } from "../../src/domain/transitions.js";
import { openStore } from "../../src/store/create-store.js";
import { jobToRow } from "../../src/store/postgres/job-row.js";
import { JobSql } from "../../src/store/postgres/job-sql.js";
import { migrate } from "../../src/store/postgres/migrations.js";
import { pgNames } from "../../src/store/postgres/pg-names.js";
import { createPool } from "../../src/store/postgres/pg-pool.js";
import { PostgresJobStore } from "../../src/store/postgres/postgres-job-store.js";
import { HOUR, makeJob, makeJobs, SECOND, T0 } from "../support/job-factory.js";
import { backendSelected, runJobStoreConformance } from "./conformance/index.js";

const DATABASE_URL =
  process.env.JOBD_TEST_DATABASE_URL ?? `postgres://${process.env.PGUSER ?? "postgres"}@127.0.0.1:5432/test`;
const selected = backendSelected("postgres");

/** Fails the whole file with a message that says what is missing, instead of 50 connection errors. */
async function assertReachable(): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${DATABASE_URL} (${(error as Error).message}). Start it (CI does), ` +
        "point JOBD_TEST_DATABASE_URL at one, or leave postgres out of JOBD_TEST_BACKENDS.",
    );
  }
}
if (selected) await assertReachable();

const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
afterAll(() => admin.end());

let schemas = 0;
/** A schema of its own for the running test, dropped after it passes and kept (named) when it fails. */
function freshSchema(): string {
  const schema = `jobd_test_${process.pid}_${Date.now().toString(36)}_${schemas++}`;
  onTestFinished(async ({ task }) => {
    if (task.result?.state === "fail") console.warn(`kept schema ${schema} of failed test "${task.name}"`);
    else await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  return schema;
}

/** The backends of application `app` waiting for a lock. */
async function waitingBackends(app: string): Promise<unknown[]> {
  const { rows } = await admin.query(
    "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
    [app],
  );
  return rows;
}

const openNode = (schema: string) =>
  PostgresJobStore.open({ connectionString: DATABASE_URL, schema, poolSize: 4 });

/** Opens `count` stores ("nodes") on one fresh schema, closed when the test ends. */
async function openNodes(count: number): Promise<PostgresJobStore[]> {
  const schema = freshSchema();
  const nodes = await Promise.all(Array.from({ length: count }, () => openNode(schema)));
  onTestFinished(async () => {
    await Promise.all(nodes.map((node) => node.close()));
  });
  return nodes;
}

/** Records what `store`'s listeners hear; `next()` resolves at the next notification heard. */
async function listen(store: PostgresJobStore) {
  const heard: number[] = [];
  let wake: () => void = () => {};
  const unsubscribe = store.onJobsAvailable((runAt) => {
    heard.push(runAt);
    wake();
  });
  await store.notificationsReady();
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  return { heard, next, unsubscribe };
}

runJobStoreConformance("postgres", async () => {
  const schema = freshSchema();
  return { store: await openNode(schema), reopen: () => openNode(schema), cleanup: async () => {} };
});

describe.skipIf(!selected)("PostgresJobStore", () => {
  test("declares a persistent, multi-node, power-loss store with notifications", async () => {
    const [store] = await openNodes(1);
    expect([store?.backend, store?.durability, store?.capabilities]).toEqual([
      "postgres",
      "power-loss",
      { persistent: true, singleNode: false, notifications: true },
    ]);
  });

  test("commits are durable even where the role defaults to synchronous_commit=off", async () => {
    const role = `jobd_test_async_${process.pid}`;
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`ALTER ROLE ${role} SET synchronous_commit = off`);
    onTestFinished(async () => {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    });
    const url = new URL(DATABASE_URL);
    url.username = role;
    const pool = createPool(url.toString(), 1);
    onTestFinished(() => pool.end());
    const { rows } = await pool.query("SHOW synchronous_commit");
    expect(rows).toEqual([{ synchronous_commit: "local" }]);
  });

  test("two nodes claiming concurrently from one table never share a job", async () => {
    const [a, b] = (await openNodes(2)) as [PostgresJobStore, PostgresJobStore];
    await a.createMany(makeJobs(1_000, (i) => ({ priority: i % 7, queue: `q${i % 2}` })));
    const drain = async (node: PostgresJobStore, workerId: string) => {
      const claimed: Job[] = [];
      for (;;) {
        const jobs = await node.claim({ workerId, now: T0, limit: 25, leaseMs: 30 * SECOND });
        if (jobs.length === 0) return claimed;
        claimed.push(...jobs);
      }
    };
    const claims = await Promise.all([a, b, a, b].map((node, i) => drain(node, `node${i % 2}:w${i}`)));
    const claimed = claims.flat();
    expect(claimed).toHaveLength(1_000);
    expect(new Set(claimed.map((job) => job.id)).size).toBe(1_000);
    expect(claims.every((jobs) => jobs.length > 0)).toBe(true);
    const stored = new Map((await b.list()).map((job) => [job.id, job.workerId]));
    for (const job of claimed) expect(stored.get(job.id)).toBe(job.workerId);
  });

  test("a claim by types merges them in claim order and takes each job once", async () => {
    const [store] = (await openNodes(1)) as [PostgresJobStore];
    const jobs = makeJobs(6, (i) => ({ type: i % 2 ? "a" : "b", priority: i, runAt: T0 - i }));
    await store.createMany([...jobs, makeJob({ type: "c", priority: 99 })]);
    const claimed = await store.claim({
      workerId: "w",
      now: T0,
      limit: 5,
      leaseMs: 30 * SECOND,
      types: ["a", "b", "a"],
    });
    expect(claimed.map((job) => job.priority)).toEqual([5, 4, 3, 2, 1]);
    expect(await store.nextRunAt({ type: ["b", "c", "b"] })).toBe(T0);
  });

  test("concurrent single creates commit together, and one bad job fails alone", async () => {
    const [store] = (await openNodes(1)) as [PostgresJobStore];
    const stored = makeJob();
    await store.create(stored);
    const jobs = [...makeJobs(10), { ...stored, payload: "same id" }, ...makeJobs(10)];
    const results = await Promise.allSettled(jobs.map((job) => store.create(job)));
    expect(results.map((r) => r.status)).toEqual(
      jobs.map((job) => (job.id === stored.id ? "rejected" : "fulfilled")),
    );
    expect((await store.counts()).counts.queued).toBe(21);
    expect(await store.get(stored.id)).toEqual(stored);
  });

  test("a create's insert commits on its own, before it reads the job of a key taken meanwhile", async () => {
    const app = `jobd_test_create_${process.pid}`;
    const { store, schema } = await openNamed(app, 2);
    const connect = async (name: string) => {
      const client = new pg.Client({ connectionString: DATABASE_URL, application_name: name });
      await client.connect();
      onTestFinished(() => client.end());
      return client;
    };
    const [keyHolder, tableLocker] = [await connect(`${app}_key`), await connect(`${app}_table`)];
    const holder = makeJob({ idempotencyKey: "k" });
    await keyHolder.query("BEGIN");
    await keyHolder.query(new JobSql(pgNames(schema)).upsert(), [JSON.stringify([jobToRow(holder)])]);
    const created = store.create(makeJob({ idempotencyKey: "k" }));
    await expect.poll(async () => (await waitingBackends(app)).length).toBe(1); // the insert waits for "k"
    await tableLocker.query("BEGIN");
    const locked = tableLocker.query(`LOCK TABLE "${schema}".jobs IN ACCESS EXCLUSIVE MODE`);
    await expect.poll(async () => (await waitingBackends(`${app}_table`)).length).toBe(1);
    await keyHolder.query("COMMIT");
    // Granted once the insert has committed. Inside the insert's transaction, the read of "k" would
    // have gone first (its transaction already holds a lock on the table) and the create would be done.
    await locked;
    await expect.poll(async () => (await waitingBackends(app)).length).toBe(1);
    await tableLocker.query("COMMIT");
    expect(await created).toEqual({ job: holder, created: false });
  });

  test("a create notifies once, with its earliest due time; a create that inserts nothing does not", async () => {
    const [store] = (await openNodes(1)) as [PostgresJobStore];
    const { heard, next } = await listen(store);
    const createAndHear = async (create: () => Promise<unknown>) => {
      const woken = next();
      await create();
      await woken;
    };
    await createAndHear(() => store.create(makeJob({ idempotencyKey: "a", runAt: T0 })));
    await createAndHear(() =>
      store.createMany([
        makeJob({ idempotencyKey: "a", runAt: T0 - HOUR }),
        makeJob({ idempotencyKey: "b", runAt: T0 + 2 * HOUR }),
        makeJob({ runAt: T0 + HOUR }),
      ]),
    );
    expect((await store.create(makeJob({ idempotencyKey: "b", runAt: T0 - HOUR }))).created).toBe(false);
    expect(
      await store.createMany([makeJob({ idempotencyKey: "a" }), makeJob({ idempotencyKey: "b" })]),
    ).toEqual([expect.objectContaining({ created: false }), expect.objectContaining({ created: false })]);
    // Notifications arrive in commit order: a stray one would come before this one.
    await createAndHear(() => store.create(makeJob({ runAt: T0 + 3 * HOUR })));
    expect(heard).toEqual([T0, T0 + HOUR, T0 + 3 * HOUR]);
  });

  test("concurrent updates commit in one transaction, and a stale one among them is refused alone", async () => {
    const { store, schema } = await openNamed(`jobd_test_group_${process.pid}`, 4);
    await store.createMany(makeJobs(20));
    const claimed = await store.claim({ workerId: "w", now: T0, limit: 20, leaseMs: 30 * SECOND });
    const outcomes = await Promise.allSettled(
      claimed.map((job, i) =>
        store.update(job.id, (j) =>
          complete(j, { workerId: "w", attempt: i === 7 ? 2 : 1 }, { now: T0 + 1, result: i }),
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(
      claimed.map((_, i) => (i === 7 ? "rejected" : "fulfilled")),
    );
    const { rows } = await admin.query(
      `SELECT status, count(DISTINCT xmin::text)::int AS transactions FROM "${schema}".jobs GROUP BY status ORDER BY status`,
    );
    expect(rows).toEqual([
      { status: "completed", transactions: 1 },
      { status: "processing", transactions: 1 },
    ]);
  });

  test("writing back changed jobs reads them by primary key, not by scanning the table", async () => {
    const schema = freshSchema();
    const store = await openNode(schema);
    onTestFinished(() => store.close());
    const jobs = makeJobs(10_000);
    await store.createMany(jobs);
    await admin.query(`ANALYZE "${schema}".jobs`);
    const sql = new JobSql(pgNames(schema));
    const one = [{ ...jobs[0], priority: 5 } as Job];
    const { rows } = await admin.query(`EXPLAIN ${sql.updateColumns(["priority"])}`, [
      JSON.stringify(one.map((job) => jobToRow(job, ["priority"]))),
      one.map((job) => job.id),
    ]);
    const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(plan).toContain("jobs_pkey");
    expect(plan).not.toContain("Seq Scan");
  });

  test("an update group that cannot be written is retried update by update: only the bad one fails", async () => {
    const [store] = (await openNodes(1)) as [PostgresJobStore];
    const jobs = makeJobs(5);
    await store.createMany(jobs);
    const outcomes = await Promise.allSettled(
      jobs.map((job, i) =>
        store.update(job.id, (j) => ({ ...j, idempotencyKey: i === 2 ? "k\u0000" : `k${i}` })),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(outcomes[2]).toMatchObject({ reason: { code: "invalid_request" } });
    expect((await store.list()).map((job) => job.idempotencyKey)).toEqual(["k0", "k1", null, "k3", "k4"]);
  });

  test("U+0000, which PostgreSQL text cannot hold: kept in JSON, replaced in errors, refused in keys", async () => {
    const [store] = (await openNodes(1)) as [PostgresJobStore];
    const job = makeJob({ payload: { s: "a\u0000b" }, status: "failed", error: "bad\u0000byte" });
    await store.save(job);
    expect(await store.get(job.id)).toEqual({ ...job, error: "bad\uFFFDbyte" });
    await expect(store.create(makeJob({ idempotencyKey: "k\u0000" }))).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining('"idempotency_key"'),
    });
  });

  test("migrations run once when several nodes start together, and are idempotent after", async () => {
    const names = pgNames(freshSchema());
    const pools = [createPool(DATABASE_URL, 2), createPool(DATABASE_URL, 2), createPool(DATABASE_URL, 2)];
    onTestFinished(async () => {
      await Promise.all(pools.map((pool) => pool.end()));
    });
    const applied = await Promise.all(pools.map((pool) => migrate(pool, names)));
    expect(applied.filter((versions) => versions.length > 0)).toEqual([[1]]);
    expect(await migrate(pools[0] as pg.Pool, names)).toEqual([]);
    const { rows } = await admin.query(`SELECT version FROM ${names.migrations}`);
    expect(rows).toEqual([{ version: 1 }]);
  });

  test("stores opening at once on a new schema all start, on one schema", async () => {
    const nodes = await openNodes(3);
    const job = makeJob();
    await nodes[0]?.create(job);
    for (const node of nodes) expect(await node.get(job.id)).toEqual(job);
  });

  test("a schema migrated by a newer jobd is refused with a clear message", async () => {
    const schema = freshSchema();
    await (await openNode(schema)).close();
    await admin.query(`INSERT INTO "${schema}".schema_migrations VALUES (999, 'future', 0)`);
    await expect(openNode(schema)).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringMatching(/version 999, newer than this jobd knows/),
    });
  });

  test("an unreachable database is `unavailable`, named without its password", async () => {
    const error = await PostgresJobStore.open({
      connectionString: "postgres://jobd:s3cret@127.0.0.1:1/x",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unavailable", message: expect.stringContaining("127.0.0.1:1") });
    expect((error as Error).message).not.toContain("s3cret");
  });

  test("openStore opens it from --database-url, and asks for one when it is missing", async () => {
    const config = { ...DEFAULT_PERSISTENCE_CONFIG, enabled: true, backend: "postgres" as const };
    const store = await openStore({ ...config, databaseUrl: DATABASE_URL });
    onTestFinished(() => store.close());
    expect(store.backend).toBe("postgres");
    await expect(openStore(config)).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("--database-url"),
    });
  });

  /** A store on a fresh schema whose connections carry `application_name`, so a test can find and kill them. */
  async function openNamed(app: string, poolSize: number) {
    const schema = freshSchema();
    const url = new URL(DATABASE_URL);
    url.searchParams.set("application_name", app);
    const store = await PostgresJobStore.open({ connectionString: url.toString(), schema, poolSize });
    onTestFinished(() => store.close());
    return { store, schema };
  }

  test("a lost listening connection is reopened, and listeners are told to look (0)", async () => {
    const app = `jobd_test_listen_${process.pid}`;
    const { store } = await openNamed(app, 1);
    const { heard, next } = await listen(store);
    let woken = next();
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'",
      [app],
    );
    await woken;
    expect(heard).toEqual([0]);
    woken = next();
    await store.create(makeJob({ runAt: T0 }));
    await woken;
    expect(heard).toEqual([0, T0]);
  });

  test("a connection the database drops mid-request fails it `unavailable`; the next request reconnects", async () => {
    const app = `jobd_test_drop_${process.pid}`;
    const { store, schema } = await openNamed(app, 2);
    const job = makeJob();
    await store.create(job);
    const locker = await admin.connect(); // holds the row, so the store's update waits on the server
    onTestFinished(() => locker.release());
    await locker.query("BEGIN");
    await locker.query(`SELECT id FROM "${schema}".jobs WHERE id = $1 FOR UPDATE`, [job.id]);
    // Settled into a value at once: the rejection may arrive before the terminate query returns.
    const update = store.update(job.id, (j) => ({ ...j, priority: 1 })).catch((error: unknown) => error);
    await expect.poll(async () => (await waitingBackends(app)).length).toBe(1);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [
      app,
    ]);
    expect(await update).toMatchObject({ code: "unavailable" });
    await locker.query("ROLLBACK");
    expect(await store.get(job.id)).toEqual(job);
  });

  test("a schema name that would need quoting is refused", async () => {
    await expect(openNode('jobs"; DROP TABLE x; --')).rejects.toMatchObject({ code: "invalid_request" });
  });

  test("jobs queued on one node wake another node's listener with their due time", async () => {
    const [a, b] = (await openNodes(2)) as [PostgresJobStore, PostgresJobStore];
    const { heard, next, unsubscribe } = await listen(b);

    let woken = next();
    await a.createMany([makeJob({ runAt: T0 + HOUR }), makeJob({ runAt: T0 + 2 * HOUR })]);
    await woken;
    expect(heard).toEqual([T0 + HOUR]);

    const [claimed] = await a.claim({ workerId: "a", now: T0 + HOUR, limit: 1, leaseMs: 30 * SECOND });
    woken = next();
    const retried = await a.update(claimed?.id as string, (job) =>
      failAttempt(job, { now: T0 + HOUR, error: "boom", random: () => 0.5 }),
    );
    await woken;
    expect(heard).toEqual([T0 + HOUR, retried.runAt]);

    unsubscribe();
    await a.create(makeJob());
    await a.query({ limit: 1, offset: 0 }); // a round trip after the commit: time for a stray notification
    expect(heard).toHaveLength(2);
  });
});

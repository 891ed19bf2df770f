/**
 * The SQLite floor under W2 and under HTTP batch creates: what the SQL alone costs on this machine, with
 * no queue code around it. jobd's schema (its migrations, as `jobd serve` creates it) and plainjob's (its
 * own `defineQueue`) are each written with their own INSERT, at synchronous=NORMAL, one commit per job
 * (W2) and 1,000 jobs per commit (a batch); each figure is the median of 3 runs. "WAL pages per commit"
 * counts the frames each commit appends to the WAL (automatic checkpoints off): in WAL mode a commit
 * writes every page it dirtied, and that, not the CPU, is most of a single insert's cost.
 *
 *   node --import tsx bench/compare/sql-floor.ts
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { better, defineQueue } from "plainjob";
import { JOB_COLUMNS } from "../../dist/store/job-columns.js";
import { MIGRATIONS } from "../../dist/store/sqlite/migrations.js";
import { quantile } from "./stats.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

const SINGLE_INSERTS = 3_000;
const BATCH_ROWS = 1_000;
const BATCHES = 20;
const RUNS = 3;
/** A WAL frame is a 24-byte header and one page. */
const FRAME_HEADER_BYTES = 24;

interface Schema {
  name: string;
  /** Creates the tables in the open database; returns what to stop before the database closes. */
  create(db: Database.Database): () => void;
  /** Writes job `n`, as the system's own enqueue does. */
  insert(db: Database.Database): (n: number) => void;
}

const jobdSchema: Schema = {
  name: "jobd (jobs table, its 11 indexes, job_counts)",
  create: (db) => {
    for (const migration of MIGRATIONS) db.exec(migration.sql);
    return () => {};
  },
  insert: (db) => {
    const row = db.prepare(
      `INSERT INTO jobs (${JOB_COLUMNS.join(", ")}) VALUES (${JOB_COLUMNS.map(() => "?").join(", ")})`,
    );
    const count = db.prepare(
      `INSERT INTO job_counts (status, queue, n) VALUES ('queued', 'default', 1)
         ON CONFLICT (status, queue) DO UPDATE SET n = n + excluded.n`,
    );
    return (n) => {
      const now = Date.now();
      const id = `0190${n.toString(16).padStart(28, "0")}`;
      row.run(
        id,
        "bench",
        "default",
        `{"n":${n}}`,
        "queued",
        0,
        0,
        3,
        now,
        null,
        null,
        null,
        "null",
        null,
        null,
        null,
        null,
        now,
        now,
        null,
        null,
      );
      count.run();
    };
  },
};

const plainjobSchema: Schema = {
  name: "plainjob (its table, 1 index)",
  create: (db) => {
    const quiet = { error: console.error, warn: () => {}, info: () => {}, debug: () => {} };
    const queue = defineQueue({ connection: better(db), logger: quiet });
    return () => queue.close(); // its maintenance timers
  },
  insert: (db) => {
    const row = db.prepare(
      "INSERT INTO plainjob_jobs (type, data, created_at, next_run_at) VALUES (?, ?, ?, ?)",
    );
    return (n) => {
      const now = Date.now();
      row.run("bench", `{"n":${n}}`, now, now);
    };
  },
};

interface Measurement {
  microsPerJob: number;
  walPagesPerCommit: number;
}

/** `jobsPerCommit` jobs in each of `commits` transactions on a fresh database; time and WAL growth. */
function measure(schema: Schema, commits: number, jobsPerCommit: number): Measurement {
  const dir = makeTempDir("sql-floor");
  const file = path.join(dir, "floor.db");
  const db = new Database(file);
  let stop = () => {};
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("wal_autocheckpoint = 0");
    stop = schema.create(db);
    const insert = schema.insert(db);
    let n = 0;
    const commit = db.transaction(() => {
      for (let i = 0; i < jobsPerCommit; i++) insert(n++);
    });
    for (let i = 0; i < 50; i++) commit.immediate(); // warm up the statements and the tree's right edge
    const walBefore = fs.statSync(`${file}-wal`).size;
    const startedAt = performance.now();
    for (let i = 0; i < commits; i++) commit.immediate();
    const elapsedMs = performance.now() - startedAt;
    const walBytes = fs.statSync(`${file}-wal`).size - walBefore;
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    return {
      microsPerJob: (elapsedMs * 1000) / (commits * jobsPerCommit),
      walPagesPerCommit: walBytes / (pageSize + FRAME_HEADER_BYTES) / commits,
    };
  } finally {
    stop();
    if (db.open) db.close();
    removeTempDir(dir);
  }
}

function medianOf(schema: Schema, commits: number, jobsPerCommit: number): Measurement {
  const runs = Array.from({ length: RUNS }, () => measure(schema, commits, jobsPerCommit));
  return {
    microsPerJob: quantile(
      runs.map((run) => run.microsPerJob),
      0.5,
    ),
    walPagesPerCommit: quantile(
      runs.map((run) => run.walPagesPerCommit),
      0.5,
    ),
  };
}

console.log(
  "| schema | one job per commit: µs per job | WAL pages per commit | 1,000 jobs per commit: µs per job |",
);
console.log("|---|---|---|---|");
for (const schema of [jobdSchema, plainjobSchema]) {
  const single = medianOf(schema, SINGLE_INSERTS, 1);
  const batch = medianOf(schema, BATCHES, BATCH_ROWS);
  console.log(
    `| ${schema.name} | ${single.microsPerJob.toFixed(1)} | ${single.walPagesPerCommit.toFixed(1)} | ${batch.microsPerJob.toFixed(1)} |`,
  );
}

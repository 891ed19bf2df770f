/**
 * The persistent backends the end-to-end tests run `jobd serve` on, each with the flags that give a
 * test its own fresh store: a temp data directory (json, sqlite), or a fresh database (postgres, at
 * JOBD_TEST_DATABASE_URL, default postgres://$PGUSER@127.0.0.1:5432/test, dropped after the test).
 * A backend is skipped when dist/ has no such store, when JOBD_TEST_BACKENDS leaves it out, or, for
 * postgres, when no server answers (the test name says which).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { onTestFinished } from "vitest";
import { tempDir } from "../support/temp-dir.js";

const DIST = join(import.meta.dirname, "..", "..", "dist");
const DATABASE_URL =
  process.env.JOBD_TEST_DATABASE_URL ?? `postgres://${process.env.PGUSER ?? "postgres"}@127.0.0.1:5432/test`;

export interface E2eBackend {
  name: "json" | "sqlite" | "postgres";
  /** Why this backend's tests are skipped, or null when they run. */
  skipped: string | null;
  /** `jobd serve` flags for a fresh store, and the data directory the startup line should name. */
  freshStore(label: string): Promise<{ flags: string[]; dataDir: string | null }>;
}

const selected = (name: string) =>
  !process.env.JOBD_TEST_BACKENDS ||
  process.env.JOBD_TEST_BACKENDS.split(",")
    .map((s) => s.trim())
    .includes(name);

/** Why `name`'s tests cannot run here (left out, or not built), or null. */
export function whySkipped(name: string): string | null {
  if (!selected(name)) return "left out by JOBD_TEST_BACKENDS";
  if (!existsSync(join(DIST, "store", name))) return `dist/store/${name} was not built`;
  return null;
}

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
    return null;
  } catch (error) {
    return `no PostgreSQL at ${DATABASE_URL} (${(error as Error).message})`;
  }
}

let databases = 0;

/** Creates a database of its own for the running test, dropped when the test ends. */
async function freshDatabase(): Promise<string> {
  const name = `jobd_e2e_${process.pid}_${Date.now().toString(36)}_${databases++}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  onTestFinished(async () => {
    const dropper = new pg.Client({ connectionString: DATABASE_URL });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await dropper.end();
  });
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const embedded = (name: "json" | "sqlite"): E2eBackend => ({
  name,
  skipped: whySkipped(name),
  freshStore: async (label) => {
    const dataDir = tempDir(`e2e-${label}-${name}`);
    return { flags: ["--backend", name, "--data-dir", dataDir], dataDir };
  },
});

/** json, sqlite and postgres, each with the reason it is skipped, if it is. */
export async function e2eBackends(): Promise<E2eBackend[]> {
  const postgresSkipped = whySkipped("postgres") ?? (await postgresReachable());
  return [
    embedded("json"),
    embedded("sqlite"),
    {
      name: "postgres",
      skipped: postgresSkipped,
      freshStore: async () => ({
        flags: ["--backend", "postgres", "--database-url", await freshDatabase()],
        dataDir: null,
      }),
    },
  ];
}

/**
 * `jobd serve`'s flags (DESIGN.md §6): every flag, its env var, the precedence of the command line,
 * the persistence rules, and bad values → exit 2 with one clear line and no stack trace.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ServeConfig } from "../../src/cli/serve-config.js";
import { runCli } from "./run-cli.js";

afterEach(() => vi.unstubAllEnvs());

const tasksDir = mkdtempSync(join(tmpdir(), "jobd-cli-tasks-"));

describe("jobd serve defaults", () => {
  it("keeps jobs in memory on 127.0.0.1:8080 with the spec's defaults", async () => {
    const { code, config } = await runCli(["serve"]);
    expect(code).toBe(0);
    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      persistence: {
        enabled: false,
        storagePath: resolve("./data"),
        backend: "memory",
        autoSaveInterval: 30,
        retentionDays: 30,
        sqliteSync: "full",
      },
      retryFailedOnStartup: 0,
      maxPayloadBytes: 1_048_576,
      tasksDir: undefined,
      concurrency: 10,
      shutdownTimeout: 30,
      apiToken: undefined,
      warnings: [],
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config?.persistence)).toBe(true);
  });
});

// [flag, value, env var, where the value lands in the config, the value expected there]
const FLAGS: [string, string, string, (c: Readonly<ServeConfig>) => unknown, unknown][] = [
  ["--port", "9000", "JOBD_PORT", (c) => c.port, 9000],
  ["--host", "0.0.0.0", "JOBD_HOST", (c) => c.host, "0.0.0.0"],
  ["--data-dir", "/tmp/jobd-x", "JOBD_DATA_DIR", (c) => c.persistence.storagePath, "/tmp/jobd-x"],
  ["--backend", "sqlite", "JOBD_BACKEND", (c) => c.persistence.backend, "sqlite"],
  [
    "--database-url",
    "postgres://u@127.0.0.1/db",
    "JOBD_DATABASE_URL",
    (c) => c.persistence.databaseUrl,
    "postgres://u@127.0.0.1/db",
  ],
  ["--retention-days", "7", "JOBD_RETENTION_DAYS", (c) => c.persistence.retentionDays, 7],
  ["--auto-save-interval", "5", "JOBD_AUTO_SAVE_INTERVAL", (c) => c.persistence.autoSaveInterval, 5],
  ["--retry-failed-on-startup", "5", "JOBD_RETRY_FAILED_ON_STARTUP", (c) => c.retryFailedOnStartup, 5],
  ["--sqlite-sync", "normal", "JOBD_SQLITE_SYNC", (c) => c.persistence.sqliteSync, "normal"],
  ["--max-payload-bytes", "2048", "JOBD_MAX_PAYLOAD_BYTES", (c) => c.maxPayloadBytes, 2048],
  ["--tasks", tasksDir, "JOBD_TASKS", (c) => c.tasksDir, tasksDir],
  ["--concurrency", "3", "JOBD_CONCURRENCY", (c) => c.concurrency, 3],
  ["--shutdown-timeout", "0", "JOBD_SHUTDOWN_TIMEOUT", (c) => c.shutdownTimeout, 0],
  ["--api-token", "s3cret", "JOBD_API_TOKEN", (c) => c.apiToken, "s3cret"],
];

describe.each(FLAGS)("%s", (flag, value, envVar, read, expected) => {
  it("is read from the command line", async () => {
    const { code, config, stderr } = await runCli(["serve", flag, value]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(config && read(config)).toEqual(expected);
  });

  it(`is read from ${envVar}`, async () => {
    vi.stubEnv(envVar, value);
    const { code, config } = await runCli(["serve"]);
    expect(code).toBe(0);
    expect(config && read(config)).toEqual(expected);
  });

  it("on the command line wins over the environment", async () => {
    vi.stubEnv(envVar, "not-this-value");
    const { code, config } = await runCli(["serve", `${flag}=${value}`]);
    expect(code).toBe(0);
    expect(config && read(config)).toEqual(expected);
  });
});

describe("persistence flags", () => {
  const cases: [string, string[], Record<string, string>, boolean, string][] = [
    ["--persist alone uses json", ["--persist"], {}, true, "json"],
    ["JOBD_PERSIST=1 uses json", [], { JOBD_PERSIST: "1" }, true, "json"],
    ["JOBD_PERSIST=true uses json", [], { JOBD_PERSIST: "true" }, true, "json"],
    ["JOBD_PERSIST=0 keeps memory", [], { JOBD_PERSIST: "0" }, false, "memory"],
    ["--persist --backend sqlite", ["--persist", "--backend", "sqlite"], {}, true, "sqlite"],
    ["--backend sqlite implies --persist", ["--backend", "sqlite"], {}, true, "sqlite"],
    ["--backend json implies --persist", ["--backend", "json"], {}, true, "json"],
    ["--backend memory without --persist", ["--backend", "memory"], {}, false, "memory"],
    ["JOBD_BACKEND=sqlite implies it too", [], { JOBD_BACKEND: "sqlite" }, true, "sqlite"],
  ];
  it.each(cases)("%s", async (_name, argv, env, enabled, backend) => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const { code, config } = await runCli(["serve", ...argv]);
    expect(code).toBe(0);
    expect(config?.persistence.enabled).toBe(enabled);
    expect(config?.persistence.backend).toBe(backend);
  });

  it("--database-url accepts postgresql:// too", async () => {
    const url = "postgresql://u@127.0.0.1:5432/test";
    const { code, config } = await runCli(["serve", "--backend", "postgres", "--database-url", url]);
    expect(code).toBe(0);
    expect(config?.persistence.databaseUrl).toBe(url);
  });

  it("--backend postgres with --database-url", async () => {
    const { config } = await runCli([
      "serve",
      "--backend",
      "postgres",
      "--database-url",
      "postgres://127.0.0.1/test",
    ]);
    expect(config?.persistence).toMatchObject({
      enabled: true,
      backend: "postgres",
      databaseUrl: "postgres://127.0.0.1/test",
    });
  });
});

describe("flags the chosen backend does not use: a warning each, the backend unchanged", () => {
  const MEMORY = "jobs are kept in memory only";
  const cases: [string, string[], Record<string, string>, string, string[]][] = [
    [
      "nothing ignored on memory",
      ["--retention-days", "1", "--retry-failed-on-startup", "0"],
      {},
      "memory",
      [],
    ],
    [
      "--data-dir and --sqlite-sync without --persist",
      ["--data-dir", "/tmp/jobd-x", "--sqlite-sync", "normal"],
      {},
      "memory",
      [
        `--data-dir is ignored: ${MEMORY}; add --persist or --backend sqlite to keep them there`,
        `--sqlite-sync is ignored: ${MEMORY}; add --backend sqlite`,
      ],
    ],
    [
      "--database-url without --backend postgres",
      ["--database-url", "postgres://u@127.0.0.1:5432/test"],
      {},
      "memory",
      [`--database-url is ignored: ${MEMORY}; add --backend postgres`],
    ],
    [
      "the same from the environment",
      [],
      { JOBD_DATA_DIR: "/tmp/jobd-x", JOBD_AUTO_SAVE_INTERVAL: "5", JOBD_RETRY_FAILED_ON_STARTUP: "3" },
      "memory",
      [
        `JOBD_DATA_DIR is ignored: ${MEMORY}; add --persist or --backend sqlite to keep them there`,
        `JOBD_AUTO_SAVE_INTERVAL is ignored: ${MEMORY}; add --persist (the json backend)`,
        `JOBD_RETRY_FAILED_ON_STARTUP is ignored: ${MEMORY}, so no failed job is left from before the start; add --persist or --backend sqlite`,
      ],
    ],
    [
      "--persist with --database-url and --sqlite-sync",
      ["--persist", "--database-url", "postgres://u@127.0.0.1:5432/test", "--sqlite-sync", "normal"],
      {},
      "json",
      [
        "--sqlite-sync is ignored: it applies to the sqlite backend only (this server uses json)",
        "--database-url is ignored: --persist alone uses the json backend; add --backend postgres",
      ],
    ],
    [
      "sqlite with --auto-save-interval",
      ["--backend", "sqlite", "--auto-save-interval", "5"],
      {},
      "sqlite",
      ["--auto-save-interval is ignored: it applies to the json backend only (this server uses sqlite)"],
    ],
    [
      "postgres with --data-dir",
      ["--backend", "postgres", "--database-url", "postgres://u@127.0.0.1/test", "--data-dir", "/tmp/x"],
      {},
      "postgres",
      ["--data-dir is ignored: the postgres backend keeps jobs in the database of --database-url"],
    ],
  ];
  it.each(cases)("%s", async (_name, argv, env, backend, warnings) => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const { code, config, stderr } = await runCli(["serve", ...argv]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(config?.persistence.backend).toBe(backend);
    expect(config?.warnings).toEqual(warnings);
  });

  it.each([
    [
      ["--backend", "sqlite", "--database-url", "postgres://u@127.0.0.1/test"],
      {},
      "--database-url",
      "--backend sqlite",
    ],
    [
      ["--backend", "memory"],
      { JOBD_DATABASE_URL: "postgres://u@127.0.0.1/test" },
      "JOBD_DATABASE_URL",
      "--backend memory",
    ],
    [
      [],
      { JOBD_BACKEND: "json", JOBD_DATABASE_URL: "postgres://u@127.0.0.1/test" },
      "JOBD_DATABASE_URL",
      "JOBD_BACKEND json",
    ],
  ])("--database-url with another backend named is a usage error: %j %j", async (argv, env, url, backend) => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const { code, config, stderr } = await runCli(["serve", ...argv]);
    expect(code).toBe(2);
    expect(config).toBeUndefined();
    expect(stderr).toBe(
      `jobd: ${url} is for the postgres backend, but ${backend} was asked for; drop one of them; see jobd serve --help\n`,
    );
  });
});

describe("bad flags and values exit 2 with one clear message", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ["a non-integer port", ["--port", "abc"], {}, /--port must be an integer from 0 to 65535 \(got "abc"\)/],
    ["a port out of range", ["--port", "70000"], {}, /--port must be an integer from 0 to 65535/],
    ["a negative port", ["--port=-1"], {}, /--port must be an integer/],
    ["a port with a leading space", ["--port", " 80"], {}, /--port must be an integer.*\(got " 80"\)/],
    ["a port with a trailing space", ["--port", "18001 "], {}, /--port must be an integer.*\(got "18001 "\)/],
    ["a port in exponent form", ["--port", "8e3"], {}, /--port must be an integer/],
    ["a spaced port from the environment", [], { JOBD_PORT: " 80" }, /JOBD_PORT must be an integer/],
    [
      "a database URL that is not a URL",
      ["--backend", "postgres", "--database-url", "notaurl"],
      {},
      /--database-url is not a URL; use postgres:\/\//,
    ],
    [
      "a database URL of another scheme",
      ["--backend", "postgres", "--database-url", "mysql://u:secret@db/jobd"],
      {},
      /--database-url must be a postgres:\/\/ or postgresql:\/\/ URL \(got mysql:\/\/…\)/,
    ],
    [
      "a bad database URL from the environment",
      ["--backend", "postgres"],
      { JOBD_DATABASE_URL: "notaurl" },
      /JOBD_DATABASE_URL is not a URL/,
    ],
    ["a fractional retention", ["--retention-days", "1.5"], {}, /--retention-days must be an integer/],
    ["zero concurrency", ["--concurrency", "0"], {}, /--concurrency must be an integer from 1 to 1000/],
    ["an empty host", ["--host", ""], {}, /--host must not be empty/],
    ["an unknown backend", ["--backend", "redis"], {}, /--backend.*redis.*memory, json, sqlite, postgres/],
    ["an unknown sqlite sync", ["--sqlite-sync", "fast"], {}, /--sqlite-sync.*fast.*full, normal/],
    [
      "--persist with --backend memory",
      ["--persist", "--backend", "memory"],
      {},
      /--persist.*--backend memory/,
    ],
    ["postgres without a URL", ["--backend", "postgres"], {}, /--backend postgres needs --database-url/],
    [
      "a missing tasks dir",
      ["--tasks", "/nonexistent/tasks"],
      {},
      /--tasks \/nonexistent\/tasks is not a directory/,
    ],
    ["an unknown flag", ["--prot", "80"], {}, /unknown option '--prot'/],
    ["a flag without its value", ["--port"], {}, /option '--port <n>' argument missing/],
    [
      "a bad value from the environment",
      [],
      { JOBD_PORT: "eighty" },
      /JOBD_PORT must be an integer.*"eighty"/,
    ],
    ["a bad boolean from the environment", [], { JOBD_PERSIST: "maybe" }, /JOBD_PERSIST must be 1 or 0/],
    ["an empty token", ["--api-token", ""], {}, /--api-token must not be empty/],
  ];
  it.each(cases)("%s", async (_name, argv, env, message) => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const { code, stderr, config } = await runCli(["serve", ...argv]);
    expect(code).toBe(2);
    expect(config).toBeUndefined();
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    // one line (docs/cli.md), with where to find help on it
    expect(stderr).toMatch(/^jobd: [^\n]+; see jobd serve --help\n$/);
  });

  it("an unknown command exits 2, on one line", async () => {
    const { code, stderr } = await runCli(["srve"]);
    expect(code).toBe(2);
    expect(stderr).toBe("jobd: unknown command 'srve' (Did you mean serve?); see jobd --help\n");
  });

  it("commander's own errors are one line too: an unknown flag with a suggestion, a missing argument", async () => {
    expect((await runCli(["serve", "--prot", "80"])).stderr).toBe(
      "jobd: unknown option '--prot' (Did you mean --port?); see jobd serve --help\n",
    );
    expect(await runCli(["get"])).toMatchObject({
      code: 2,
      stderr: "jobd: missing required argument 'id'; see jobd get --help\n",
    });
    const badJson = await runCli(["submit", "x", "--payload", "{x"]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/^jobd: --payload must be JSON [^\n]*; see jobd submit --help\n$/);
  });
});

describe("help", () => {
  it("jobd --help names the commands and exits 0", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const command of ["serve", "submit", "list", "get", "retry", "retry-failed", "cancel", "stats"])
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
  });

  it("jobd serve --help describes every flag with its env var, and the defaults", async () => {
    const { code, stdout } = await runCli(["serve", "--help"]);
    expect(code).toBe(0);
    for (const [flag, , envVar] of FLAGS) {
      expect(stdout).toContain(flag);
      expect(stdout).toContain(envVar);
    }
    expect(stdout).toContain("JOBD_PERSIST");
    for (const shown of [
      "default: 8080",
      'default: "127.0.0.1"',
      "default: 30",
      "default: 1048576",
      "default: 10",
    ])
      expect(stdout).toContain(shown);
  });

  it("jobd with no command prints the help and exits 2", async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stderr).toContain("Usage: jobd");
  });
});

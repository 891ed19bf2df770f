/**
 * The process around the server: bad flags exit 2 before anything starts, a second server on the same
 * data directory is refused with a message naming it and the holder, SIGTERM (and SIGINT) shut down
 * cleanly with exit 0 — for json with an empty journal and every job in the snapshot.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JobdClient } from "../../src/client/index.js";
import { tempDir } from "../support/temp-dir.js";
import { whySkipped } from "./backends.js";
import { JobdProcess } from "./jobd-process.js";

const built = (backend: string) => whySkipped(backend) === null;

describe("jobd serve as a process", () => {
  it.each([
    [["--port", "http"], /--port must be an integer from 0 to 65535 \(got "http"\)/],
    [["--persist", "--backend", "memory"], /--persist.*--backend memory/],
    [["--backend", "postgres"], /--backend postgres needs --database-url/],
    [["--no-such-flag"], /unknown option '--no-such-flag'/],
    [["--port", "18001 "], /--port must be an integer from 0 to 65535 \(got "18001 "\)/],
    [["--backend", "postgres", "--database-url", "notaurl"], /--database-url is not a URL/],
  ])("exits 2 on bad flags: %j", async (flags, message) => {
    const jobd = JobdProcess.spawn(["serve", ...flags]);
    expect(await jobd.exited).toEqual({ code: 2, signal: null });
    expect(jobd.stderr).toMatch(message);
    expect(jobd.stderr).toMatch(/^jobd: [^\n]*\n$/); // one line, no stack trace
    expect(jobd.stdout).toBe("");
  });

  it("exits 2 on a bad value from the environment, naming the variable", async () => {
    const jobd = JobdProcess.spawn(["serve"], { JOBD_CONCURRENCY: "many" });
    expect(await jobd.exited).toEqual({ code: 2, signal: null });
    expect(jobd.stderr).toMatch(/JOBD_CONCURRENCY must be an integer from 1 to 1000 \(got "many"\)/);
  });

  it.each([
    [["--host", "999.1.1.1"], {}, "--host 999.1.1.1 cannot be listened on: no such host (ENOTFOUND)"],
    [
      ["--host", "192.0.2.1"],
      {},
      "--host 192.0.2.1 cannot be listened on: not an address of this machine (EADDRNOTAVAIL)",
    ],
    [[], { JOBD_HOST: "999.1.1.1" }, "JOBD_HOST 999.1.1.1 cannot be listened on: no such host (ENOTFOUND)"],
  ])("exits 2 on a host it cannot listen on: %j %j", async (flags, env, message) => {
    const jobd = JobdProcess.spawn(["serve", "--port", "0", ...flags], env);
    expect(await jobd.exited).toEqual({ code: 2, signal: null });
    expect(jobd.stderr).toBe(`jobd: ${message}; see jobd serve --help\n`);
  });

  it("a task file with a syntax error stops the start with a message naming the file", async () => {
    const tasks = tempDir("e2e-bad-tasks");
    writeFileSync(join(tasks, "ok.mjs"), "export default async () => 1;\n");
    writeFileSync(join(tasks, "broken.mjs"), "export default async (p, ctx) => {\n");
    const jobd = JobdProcess.spawn(["serve", "--port", "0", "--tasks", tasks]);
    expect(await jobd.exited).toEqual({ code: 1, signal: null });
    expect(jobd.stderr).toBe(
      `jobd: cannot load the task file ${join(tasks, "broken.mjs")}: SyntaxError: Unexpected end of input\n`,
    );
  });

  it.skipIf(!built("sqlite"))(
    "refuses a second server on the same data directory, naming it and the holder",
    async () => {
      const dataDir = tempDir("e2e-lock");
      const first = await JobdProcess.serve(["--backend", "sqlite", "--data-dir", dataDir]);
      const second = JobdProcess.spawn([
        "serve",
        "--port",
        "0",
        "--backend",
        "sqlite",
        "--data-dir",
        dataDir,
      ]);
      const exit = await second.exited;
      expect(exit.code).not.toBe(0);
      expect(exit.code).not.toBe(null);
      expect(second.stderr).toContain(dataDir);
      expect(second.stderr).toContain(`pid ${first.pid}`);
      expect(second.stderr).not.toMatch(/\n\s+at /);
      // the first server is unharmed
      expect((await new JobdClient({ url: first.startup.url }).stats()).backend).toBe("sqlite");
      expect(await first.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );

  it.skipIf(!built("json"))("SIGTERM: exit 0, an empty journal, every job in jobs.json", async () => {
    const dataDir = tempDir("e2e-sigterm");
    const jobd = await JobdProcess.serve([
      "--persist",
      "--data-dir",
      dataDir,
      "--auto-save-interval",
      "3600",
    ]);
    expect(jobd.startup.backend).toBe("json");
    const client = new JobdClient({ url: jobd.startup.url });
    const jobs = await client.createMany([{ type: "e2e.a" }, { type: "e2e.b" }, { type: "e2e.c" }]);
    await client.cancel(jobs[2]?.id ?? "");
    expect(statSync(join(dataDir, "jobs.journal")).size).toBeGreaterThan(0); // not yet snapshotted

    expect(await jobd.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(jobd.logLines().map((line) => line.msg)).toContainEqual(
      expect.stringMatching(/^SIGTERM: stopping/),
    );
    const journal = join(dataDir, "jobs.journal");
    expect(existsSync(journal) ? statSync(journal).size : 0).toBe(0);
    const snapshot = readFileSync(join(dataDir, "jobs.json"), "utf8");
    for (const job of jobs) expect(snapshot).toContain(job.id);
    expect(existsSync(join(dataDir, "jobd.lock"))).toBe(false);

    const again = await JobdProcess.serve(["--persist", "--data-dir", dataDir]);
    expect(again.startup.recovery).toMatchObject({ recovered: 2, requeued: 0, failed: 0 });
    expect(await again.kill("SIGINT")).toEqual({ code: 0, signal: null });
  });

  it("says on startup that the memory backend keeps nothing", async () => {
    const jobd = await JobdProcess.serve([]);
    expect(jobd.startup).toMatchObject({ backend: "memory", dataDir: null, durability: "none" });
    expect(jobd.stdout).toMatch(/nothing survives a restart/);
    const ready = await fetch(`${jobd.startup.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await jobd.kill("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it("warns at startup about each flag the memory backend does not use, and stays on memory", async () => {
    const dataDir = join(tempDir("e2e-ignored"), "never-created");
    const jobd = await JobdProcess.serve(["--data-dir", dataDir, "--sqlite-sync", "normal"], {
      JOBD_DATABASE_URL: "postgres://u@127.0.0.1:5432/test",
    });
    expect(jobd.startup).toMatchObject({ backend: "memory", dataDir: null, durability: "none" });
    const warnings = jobd.logLines().filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      "--data-dir is ignored: jobs are kept in memory only; add --persist or --backend sqlite to keep them there",
      "--sqlite-sync is ignored: jobs are kept in memory only; add --backend sqlite",
      "JOBD_DATABASE_URL is ignored: jobs are kept in memory only; add --backend postgres",
    ]);
    expect(existsSync(dataDir)).toBe(false);
    expect(await jobd.kill("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it.skipIf(!built("sqlite"))(
    "takes its flags from the environment: JOBD_API_TOKEN, JOBD_SQLITE_SYNC…",
    async () => {
      const dataDir = tempDir("e2e-env");
      const jobd = await JobdProcess.serve([], {
        JOBD_BACKEND: "sqlite",
        JOBD_DATA_DIR: dataDir,
        JOBD_SQLITE_SYNC: "normal",
        JOBD_API_TOKEN: "s3cret",
      });
      expect(jobd.startup).toMatchObject({ backend: "sqlite", dataDir, durability: "process-crash" });
      const stats = `${jobd.startup.url}/api/stats`;
      expect((await fetch(stats)).status).toBe(401);
      expect((await fetch(stats, { headers: { authorization: "Bearer s3cret" } })).status).toBe(200);
      expect(await jobd.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    },
  );
});

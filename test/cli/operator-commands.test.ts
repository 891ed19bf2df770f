/**
 * The operator commands (`submit`, `list`, `get`, `retry`, `retry-failed`, `cancel`, `stats`) run
 * in-process against a real server: JSON or a table on stdout, `jobd: <code>: <message>` and exit 1
 * for a server's error, exit 2 for a usage error or a value the server refuses (invalid_request),
 * `--token` / `JOBD_API_TOKEN` / `JOBD_URL`.
 */

import type { AddressInfo, Socket } from "node:net";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningServer, serverOnFetchBlockedPort, startServer } from "../client/in-process-server.js";
import { runCli } from "./run-cli.js";

let server: RunningServer & { url: string };
let guarded: RunningServer & { url: string };

beforeAll(async () => {
  server = await startServer();
  guarded = await startServer({ apiToken: "s3cret" });
});
afterAll(async () => {
  await server.close();
  await guarded.close();
});
afterEach(() => vi.unstubAllEnvs());

const jobd = (...argv: string[]) => runCli([...argv, "--url", server.url]);
/** A port nothing listens on: one the OS just handed out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const jsonOf = (run: { stdout: string }) => JSON.parse(run.stdout);

describe("operator commands", () => {
  it("submit creates a job with every option and prints it", async () => {
    const run = await jobd(
      "submit",
      "cli.send",
      "--payload",
      '{"to":"a@b.c"}',
      "--queue",
      "mail",
      "--priority",
      "7",
      "--delay-ms",
      "60000",
      "--max-attempts",
      "4",
      "--timeout-ms",
      "5000",
      "--idempotency-key",
      "cli-1",
    );
    expect(run.code).toBe(0);
    const job = jsonOf(run);
    expect(job).toMatchObject({
      type: "cli.send",
      payload: { to: "a@b.c" },
      queue: "mail",
      priority: 7,
      max_attempts: 4,
      timeout_ms: 5000,
      idempotency_key: "cli-1",
      status: "queued",
    });
    expect(Date.parse(job.run_at) - Date.parse(job.created_at)).toBe(60_000);
  });

  it("get, cancel, retry and list", async () => {
    const job = jsonOf(await jobd("submit", "cli.flow"));
    expect(jsonOf(await jobd("get", job.id)).id).toBe(job.id);
    expect(jsonOf(await jobd("cancel", job.id)).status).toBe("cancelled");
    expect(jsonOf(await jobd("retry", job.id))).toEqual({
      job_id: job.id,
      status: "queued",
      message: "Job requeued for processing",
    });
    const table = await jobd("list", "--type", "cli.flow,cli.other", "--status", "queued");
    expect(table.code).toBe(0);
    const [header, row, footer] = table.stdout.trim().split("\n");
    expect(header).toMatch(/^ID\s+TYPE\s+QUEUE\s+STATUS\s+ATTEMPTS\s+CREATED\s+ERROR$/);
    expect(row).toMatch(new RegExp(`^${job.id}\\s+cli\\.flow\\s+default\\s+queued\\s+0/3\\s`));
    expect(footer).toBe("1–1 of 1");
    const page = jsonOf(await jobd("list", "--type", "cli.flow", "--json", "--limit", "5"));
    expect(page).toMatchObject({ total: 1, limit: 5, offset: 0 });
  });

  it("retry-failed requeues the failed jobs of a type; stats prints the counts", async () => {
    const job = jsonOf(await jobd("submit", "cli.failing", "--max-attempts", "1"));
    const [leased] = await server.queue.lease({
      workerId: "w",
      types: ["cli.failing"],
      maxJobs: 1,
      leaseMs: 5000,
      waitMs: 0,
    });
    await server.queue.fail(job.id, { workerId: "w", attempt: leased?.attempts ?? 0, error: "boom" });
    expect(jsonOf(await jobd("retry-failed", "--type", "cli.failing"))).toEqual({ requeued: 1 });
    const stats = jsonOf(await jobd("stats"));
    expect(stats).toMatchObject({ backend: "memory", durability: "none" });
    expect(stats.counts.queued).toBeGreaterThanOrEqual(1);
  });
});

describe("failures", () => {
  it("a server's error: code and message on stderr, exit 1", async () => {
    const run = await jobd("get", "0190a8c4-7f3e-7000-8000-000000000000");
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toBe("jobd: not_found: Job 0190a8c4-7f3e-7000-8000-000000000000 not found\n");
    const conflict = await jobd("retry", jsonOf(await jobd("submit", "cli.queued")).id);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^jobd: conflict: /);
  });

  // Values only the server checks: its 400 invalid_request is the user's bad value, so exit 2 as well.
  const refused: [string[], RegExp][] = [
    [["submit", "cli.x", "--priority", "1001"], /"priority" must be ≤ 1000/],
    [["submit", "bad type!"], /"type" must match/],
    [["submit", "cli.x", "--run-at", "2030-01-01T00:00:00Z", "--delay-ms", "5"], /"run_at" or "delay_ms"/],
    [["list", "--limit", "0"], /"limit" must be ≥ 1/],
    [["list", "--limit", "2000"], /"limit" must be ≤ 1000/],
    [["list", "--offset", "-1"], /"offset" must be ≥ 0/],
    [["list", "--status", "bogus"], /must be one of queued/],
    [["retry-failed", "--type", "a b"], /"type" must match/],
    [["get", "nope"], /"id" must be a UUID/],
  ];
  it.each(refused)("a value the server refuses as invalid_request exits 2: %j", async (argv, message) => {
    const run = await jobd(...argv);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toMatch(/^jobd: invalid_request: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a --url that is not an http(s) URL is a usage error naming it (or JOBD_URL)", async () => {
    const bad = await runCli(["stats", "--url", "notaurl"]);
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toMatch(
      /^jobd: --url must be an http:\/\/ or https:\/\/ URL, e\.g\. http:\/\/127\.0\.0\.1:8080 \(got "notaurl"\)/,
    );
    expect((await runCli(["get", "x", "--url", "ftp://127.0.0.1:8080"])).code).toBe(2);
    expect((await runCli(["list", "--url", "http://127.0.0.1:99999"])).code).toBe(2);
    vi.stubEnv("JOBD_URL", "127.0.0.1:8080");
    const fromEnv = await runCli(["stats"]);
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(/^jobd: JOBD_URL must be an http:\/\/ or https:\/\/ URL/);
  });

  it("usage errors exit 2", async () => {
    const badJson = await jobd("submit", "cli.x", "--payload", "{to:1}");
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/--payload must be JSON/);
    expect((await jobd("submit", "cli.x", "--priority", "high")).stderr).toMatch(
      /--priority must be an integer/,
    );
    expect((await jobd("get")).code).toBe(2);
  });

  it("an unreachable server: exit 1 naming the URL", async () => {
    const port = await closedPort();
    const run = await runCli(["stats", "--url", `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `jobd: unavailable: cannot reach jobd at http://127.0.0.1:${port}: ECONNREFUSED\n`,
    );
  });

  it("a server that accepts connections and never answers: exit 1 after the client's default timeout", async () => {
    const sockets: Socket[] = [];
    let connected!: () => void;
    const reached = new Promise<void>((resolve) => (connected = resolve));
    const silent = createServer((socket) => {
      sockets.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const running = runCli(["stats", "--url", url]);
      await reached;
      vi.advanceTimersByTime(9_999);
      await new Promise((resolve) => setImmediate(resolve));
      let done = false;
      void running.then(() => (done = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(done).toBe(false);
      vi.advanceTimersByTime(1);
      const run = await running;
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`jobd: unavailable: cannot reach jobd at ${url}: no answer within 10000 ms\n`);
    } finally {
      vi.useRealTimers();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("reaches a server on a port fetch refuses to connect to (6000, 10080…)", async () => {
    const onBadPort = await serverOnFetchBlockedPort();
    try {
      const url = onBadPort.url;
      const submitted = await runCli(["submit", "cli.bad-port", "--url", url]);
      expect(submitted).toMatchObject({ code: 0, stderr: "" });
      const stats = await runCli(["stats", "--url", url]);
      expect(stats).toMatchObject({ code: 0, stderr: "" });
      expect(jsonOf(stats).counts.queued).toBe(1);
    } finally {
      await onBadPort.close();
    }
  });

  it("--token, or JOBD_API_TOKEN and JOBD_URL from the environment", async () => {
    const without = await runCli(["stats", "--url", guarded.url]);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/^jobd: unauthorized: /);
    expect((await runCli(["stats", "--url", guarded.url, "--token", "s3cret"])).code).toBe(0);
    vi.stubEnv("JOBD_URL", guarded.url);
    vi.stubEnv("JOBD_API_TOKEN", "s3cret");
    const fromEnv = await runCli(["stats"]);
    expect(fromEnv.code).toBe(0);
    expect(jsonOf(fromEnv).backend).toBe("memory");
  });
});

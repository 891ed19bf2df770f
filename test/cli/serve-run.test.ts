/**
 * `jobd serve` run in-process through `main()`, with its signals injected: it logs its URL once ready,
 * shuts down on SIGTERM or SIGINT with exit 0, and a signal that arrives during startup still ends it
 * cleanly once the server is up (never a half-started server left behind); a second signal ends the
 * process at once.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

function serveInProcess(argv: string[]) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  let stdout = "";
  let stderr = "";
  let onOutput = () => {};
  const exitCode = main(["serve", "--host", "127.0.0.1", "--port", "0", ...argv], {
    stdout: {
      write: (text: string) => {
        stdout += text;
        onOutput();
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    signals,
    exit: (code: number) => exits.push(code),
  });
  const logged = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      onOutput = () => pattern.test(stdout) && resolve();
      onOutput();
    });
  return { signals, exits, exitCode, logged, output: () => ({ stdout, stderr }) };
}

describe("jobd serve in-process", () => {
  it.each(["SIGTERM", "SIGINT"])("logs its URL when ready and exits 0 on %s", async (signal) => {
    const serve = serveInProcess([]);
    await serve.logged(
      /"msg":"jobd listening on http:\/\/127\.0\.0\.1:\d+ \(backend memory, durability none\)"/,
    );
    const url = /"url":"(http:[^"]+)"/.exec(serve.output().stdout)?.[1];
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    serve.signals.emit(signal);
    expect(await serve.exitCode).toBe(0);
    expect(serve.output().stdout).toContain(`"msg":"${signal}: stopping; running handlers get up to 30 s`);
    expect(serve.output().stderr).toBe("");
    expect(serve.signals.listenerCount(signal)).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it("a signal during startup stops the server as soon as it is up", async () => {
    const serve = serveInProcess([]);
    serve.signals.emit("SIGTERM"); // before recovery is done
    expect(await serve.exitCode).toBe(0);
    expect(serve.output().stdout).toMatch(/jobd listening on[\s\S]*SIGTERM: stopping/);
  });

  it("a second signal during the shutdown logs why and ends the process at once (128 + its number)", async () => {
    const serve = serveInProcess([]);
    serve.signals.emit("SIGTERM"); // during startup, so the shutdown is still ahead when the second comes
    serve.signals.emit("SIGINT");
    expect(serve.exits).toEqual([130]);
    expect(serve.output().stdout).toMatch(/"level":40,.*"msg":"SIGINT again: quitting now/);
    expect(await serve.exitCode).toBe(0); // in-process, nothing ended: the shutdown completes
    expect(serve.signals.listenerCount("SIGINT") + serve.signals.listenerCount("SIGTERM")).toBe(0);
  });

  it("a failure to start (the port is taken) is exit 1 with the reason", async () => {
    const first = serveInProcess([]);
    await first.logged(/jobd listening on/);
    const port = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(first.output().stdout)?.[1] ?? "";
    const second = serveInProcess(["--port", port]);
    expect(await second.exitCode).toBe(1);
    expect(second.output().stderr).toMatch(/^jobd: .*EADDRINUSE/);
    expect(second.signals.listenerCount("SIGTERM")).toBe(0); // a failed start leaves no listener behind
    first.signals.emit("SIGTERM");
    expect(await first.exitCode).toBe(0);
  });
});

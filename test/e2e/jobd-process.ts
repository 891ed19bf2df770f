/**
 * The real `jobd serve` as a child process, started the way the README says (`node bin/jobd.js serve …`
 * on the built dist/), on 127.0.0.1. `start` resolves once the server logged its URL (recovery done);
 * every process started here is SIGKILLed after the test if it is still running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { join } from "node:path";
import { onTestFinished } from "vitest";

const BIN = join(import.meta.dirname, "..", "..", "bin", "jobd.js");

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The startup line's fields (src/cli/startup-message.ts). */
export interface StartupLine {
  url: string;
  backend: string;
  dataDir: string | null;
  durability: string;
  recovery: Record<string, number>;
}

/** The environment without any JOBD_* of the test runner, so only the test's flags count. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("JOBD_")));
  return { ...env, ...extra };
}

export class JobdProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<Exit>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk) => (this.stdout += chunk));
    child.stderr?.on("data", (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  /** Spawns `jobd <args…>` without waiting for anything. */
  static spawn(args: string[], env: Record<string, string> = {}): JobdProcess {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cleanEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const jobd = new JobdProcess(child);
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    return jobd;
  }

  /** Runs `jobd serve <args…>` on 127.0.0.1 and resolves once it is ready (port 0 unless `--port` is given). */
  static async serve(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<JobdProcess & { startup: StartupLine }> {
    const port = args.includes("--port") ? [] : ["--port", "0"];
    const jobd = JobdProcess.spawn(["serve", "--host", "127.0.0.1", ...port, ...args], env);
    const startup = await jobd.startupLine();
    return Object.assign(jobd, { startup });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Every JSON log line printed so far. */
  logLines(): Record<string, unknown>[] {
    return this.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
  }

  kill(signal: NodeJS.Signals): Promise<Exit> {
    this.child.kill(signal);
    return this.exited;
  }

  private startupLine(): Promise<StartupLine> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const line = this.logLines().find((entry) => typeof entry.url === "string");
        if (line) {
          this.child.stdout?.off("data", look);
          resolve(line as unknown as StartupLine);
        }
      };
      this.child.stdout?.on("data", look);
      void this.exited.then((exit) =>
        reject(
          new Error(
            `jobd exited (${exit.code ?? exit.signal}) before it was ready:\n${this.stdout}${this.stderr}`,
          ),
        ),
      );
    });
  }
}

/** A port nothing listens on now, for a server that must come back on the same address. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A real `jobd serve` in a child process (the built CLI, `node bin/jobd.js`), on a free port on
 * 127.0.0.1. Its URL comes from the startup log line; it is ready when `/readyz` answers 200.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const STARTUP_TIMEOUT_MS = 15_000;

/** A running server. */
export interface JobdProcess {
  url: string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/** Starts `jobd serve --port <port> --host 127.0.0.1 …args` (port 0: any free one). Needs `npm run build`. */
export async function startJobd(args: string[] = [], port = 0): Promise<JobdProcess> {
  for (const built of ["dist/cli/main.js", "dist/dashboard/index.html"]) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
  }
  const child = spawn(
    process.execPath,
    ["bin/jobd.js", "serve", "--port", String(port), "--host", "127.0.0.1", ...args],
    {
      cwd: ROOT,
      env: withoutJobdSettings(process.env),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk) => stderr.push(String(chunk)));
  const url = await listeningUrl(child, stderr);
  await waitReady(url);
  return { url, stop: () => stop(child) };
}

/** The environment minus `JOBD_*`, so only the test's flags configure the server. */
function withoutJobdSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("JOBD_")));
}

/** Reads the startup log until the line that carries the URL. */
function listeningUrl(child: ChildProcess, stderr: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail("no startup line"), STARTUP_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`jobd serve did not start (${why}): ${stderr.join("")}`));
    };
    child.once("exit", (code) => fail(`exited with ${code}`));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const url = parseUrl(line);
      if (!url) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout?.resume(); // Keep draining the log so the child never blocks on a full pipe.
      resolve(url);
    });
  });
}

function parseUrl(line: string): string | null {
  try {
    const record = JSON.parse(line) as { url?: unknown };
    return typeof record.url === "string" && record.url.startsWith("http") ? record.url : null;
  } catch {
    return null;
  }
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url}/readyz never answered 200`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts `jobd serve` in a child process on a free port and waits until `/readyz` answers 200; used by
 * the HTTP adapter and the HTTP create benchmark.
 */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";

const SERVE_SCRIPT = fileURLToPath(new URL("./jobd-serve.ts", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
/** Extra Node flags for the server process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (not allowed in NODE_OPTIONS). */
const SERVER_NODE_FLAGS = (process.env.BENCH_SERVER_NODE_FLAGS ?? "").split(" ").filter(Boolean);

/** A running `jobd serve`. */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`jobd serve exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`jobd serve not ready within ${READY_TIMEOUT_MS} ms`);
}

/**
 * `jobd serve --backend sqlite --data-dir <dir> [extra flags]` on 127.0.0.1 and a free port; `serveScript`
 * runs another checkout's jobd (bench/http compares a baseline commit with this one).
 */
export async function startJobdServe(
  dataDir: string,
  extraFlags: string[] = [],
  serveScript = SERVE_SCRIPT,
): Promise<ServeProcess> {
  const port = await freePort();
  const args = [
    ...SERVER_NODE_FLAGS,
    "--import",
    "tsx",
    serveScript,
    "serve",
    "--backend",
    "sqlite",
    "--data-dir",
    dataDir,
  ];
  const child = spawn(
    process.execPath,
    [...args, "--port", String(port), "--host", "127.0.0.1", ...extraFlags],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(url, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, child, stop };
}

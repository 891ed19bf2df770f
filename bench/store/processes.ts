/** Runs the benchmark's child processes (tsx scripts) and reads the `RESULT <json>` line they print. */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const NODE_TSX = [process.execPath, "--import", "tsx"];

/** Runs `script` with `args` (stderr passes through) and parses its RESULT line. */
export function runScript<T>(script: string, args: string[], prefix: string[] = []): T {
  const [command, ...rest] = [...prefix, ...NODE_TSX, script, ...args] as [string, ...string[]];
  const stdout = execFileSync(command, rest, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 << 20,
  });
  const line = stdout.split("\n").find((text) => text.startsWith("RESULT "));
  if (!line) throw new Error(`${script} ${args.join(" ")} printed no RESULT line:\n${stdout}`);
  return JSON.parse(line.slice("RESULT ".length)) as T;
}

/** fsync + fdatasync calls made by `script`, counted by strace; null when strace is unavailable. */
export function countFsyncs(script: string, args: string[]): { fsyncs: number; result: unknown } | null {
  const summary = join(tmpdir(), `jobd-bench-strace-${process.pid}.txt`);
  try {
    const result = runScript(script, args, [
      "strace",
      "-f",
      "-c",
      "-e",
      "trace=fsync,fdatasync",
      "-o",
      summary,
    ]);
    const calls = readFileSync(summary, "utf8")
      .split("\n")
      .filter((line) => /\s(fsync|fdatasync)$/.test(line))
      .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[3]), 0);
    return { fsyncs: calls, result };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  } finally {
    rmSync(summary, { force: true });
  }
}

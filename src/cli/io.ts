/**
 * What the CLI touches of the outside world, injected so that tests can run `main()` in-process: the
 * output streams, where SIGINT/SIGTERM come from, how the process ends at once (a second shutdown
 * signal), and what `jobd serve` does with its resolved configuration (start the real server, unless a
 * test says otherwise). (Environment variables are read by commander from `process.env`.) The operator
 * commands take no fetch: JobdClient's own node:http transport reaches any port, while fetch refuses the
 * standard's "bad ports" (6000, 10080…).
 */
import type { ServeConfig } from "./serve-config.js";

/** Anything with `write(text)`: `process.stdout`, or a buffer in tests. */
export interface TextOutput {
  write(text: string): unknown;
}

/** Where shutdown signals come from: `process`, or an EventEmitter in tests. */
export interface SignalSource {
  once(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  off(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
}

export interface CliIo {
  stdout: TextOutput;
  stderr: TextOutput;
  signals: SignalSource;
  /** Ends the process now with this exit code (`exitProcess`; a test records the code instead). */
  exit: (code: number) => unknown;
  /** Runs `jobd serve` with its validated configuration until it shuts down. */
  serve: ServeRunner;
}

/** What `jobd serve` does once its flags are resolved. */
export type ServeRunner = (config: Readonly<ServeConfig>, io: CliIo) => Promise<void>;

/**
 * A reader that went away (`jobd list | head`) is not an error worth a stack trace: EPIPE on the
 * process's own output streams is ignored (once per stream, however often `main` runs).
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (stream.listenerCount("error") === 0)
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  return stream;
}

/** The real process's streams, signals and exit, with any of them replaced. */
export function resolveIo(overrides: Partial<CliIo>, defaultServe: ServeRunner): CliIo {
  return {
    stdout: overrides.stdout ?? ignoreClosedPipe(process.stdout),
    stderr: overrides.stderr ?? ignoreClosedPipe(process.stderr),
    signals: overrides.signals ?? process,
    exit: overrides.exit ?? exitProcess,
    serve: overrides.serve ?? defaultServe,
  };
}

/** How long `exitProcess` waits for a reader that stopped reading before it ends the process anyway. */
const FLUSH_LIMIT_MS = 5_000;

/**
 * Ends the process with `code` once what was written to stdout and stderr has left the process (pino
 * writes its lines into `process.stdout`, which holds them while a pipe is full), so the last log lines
 * are not lost. Nothing left running — a handler that ignored its AbortSignal, a stray timer or socket —
 * can keep a finished jobd alive. A reader that stopped reading holds it up for at most 5 s.
 */
export async function exitProcess(code: number): Promise<never> {
  const limit = new Promise<void>((resolve) => setTimeout(resolve, FLUSH_LIMIT_MS).unref());
  await Promise.race([Promise.all([flushed(process.stdout), flushed(process.stderr)]), limit]);
  process.exit(code);
}

/** Resolves once everything written to `stream` so far has been handed to the OS (or it failed). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => stream.write("", () => resolve()));
}

/**
 * What the CLI touches of the outside world, injected so that tests can run `main()` in-process: the
 * output streams, where SIGINT/SIGTERM come from, the `fetch` the operator commands use, and what
 * `jobd serve` does with its resolved configuration (start the real server, unless a test says otherwise).
 * (Environment variables are read by commander from `process.env`.)
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
  fetch: typeof fetch;
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

/** The real process's streams, signals and fetch, with any of them replaced. */
export function resolveIo(overrides: Partial<CliIo>, defaultServe: ServeRunner): CliIo {
  return {
    stdout: overrides.stdout ?? ignoreClosedPipe(process.stdout),
    stderr: overrides.stderr ?? ignoreClosedPipe(process.stderr),
    signals: overrides.signals ?? process,
    fetch: overrides.fetch ?? globalThis.fetch,
    serve: overrides.serve ?? defaultServe,
  };
}

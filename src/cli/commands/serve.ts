/**
 * `jobd serve`: resolve the configuration once, start the server (it listens at once and answers 503
 * until recovery is done), log what it runs on, and on SIGINT/SIGTERM shut down gracefully and exit 0
 * (bin/jobd.js then ends the process, whatever a handler left running). A second signal during the
 * shutdown ends the process at once with 128 + the signal's number, after a log line saying so.
 */
import { constants } from "node:os";
import type { Command } from "commander";
import { pino } from "pino";
import type { CliIo, SignalSource } from "../io.js";
import { resolveServeConfig, type ServeConfig } from "../serve-config.js";
import { rawServeOptions, serveOptions } from "../serve-options.js";
import { startupFacts, startupMessage } from "../startup-message.js";
import { UsageError } from "../usage-error.js";

/** Adds `serve` to the program. */
export function registerServe(program: Command, io: CliIo): void {
  const command = program
    .command("serve")
    .description("run the jobd server: REST API, dashboard, in-process handlers and recovery")
    .addHelpText("after", SERVE_HELP_FOOTER);
  for (const option of serveOptions()) command.addOption(option);
  command.action(async () => {
    const { raw, origin, given } = rawServeOptions(command, process.env);
    const config = resolveServeConfig(raw, origin, given);
    await io.serve(config, io).catch((error: unknown) => {
      throw unusableHost(error, config.host, origin("host")) ?? error;
    });
  });
}

/**
 * A listen failure that says the address itself is wrong — no such host, or not an address of this
 * machine — is a bad `--host` (exit 2), not a run-time failure. Only errors about that very address
 * count: a database host that does not resolve is the store's failure.
 */
function unusableHost(error: unknown, host: string, label: string): UsageError | undefined {
  const { code, syscall, hostname, address } = (error ?? {}) as NodeJS.ErrnoException & {
    hostname?: string;
    address?: string;
  };
  const unresolved = code === "ENOTFOUND" && syscall === "getaddrinfo" && hostname === host;
  const notLocal = code === "EADDRNOTAVAIL" && syscall === "listen" && address === host;
  if (!unresolved && !notLocal) return undefined;
  const why = unresolved ? "no such host" : "not an address of this machine";
  return new UsageError(`${label} ${host} cannot be listened on: ${why} (${code})`);
}

/** Runs the server until a shutdown signal, then closes it. */
export async function serve(config: Readonly<ServeConfig>, io: CliIo): Promise<void> {
  const logger = pino({ base: undefined }, { write: (line: string) => io.stdout.write(line) });
  for (const warning of config.warnings) logger.warn(warning); // flags the chosen backend does not use
  // From now on, so that a signal during startup counts too.
  const shutdown = awaitShutdownSignal(io.signals, (again) => {
    logger.warn(
      `${again} again: quitting now, without waiting for running handlers; their jobs are reclaimed as after a crash (queued again at the next start)`,
    );
    io.exit(128 + constants.signals[again]);
  });
  try {
    // Loaded here, not at the top: `jobd --help` and the operator commands need none of the server.
    const { createServer } = await import("../../app/create-server.js");
    const server = await createServer({
      persistence: config.persistence,
      tasksDir: config.tasksDir,
      concurrency: config.concurrency,
      shutdownTimeout: config.shutdownTimeout,
      retryFailedOnStartup: config.retryFailedOnStartup,
      maxPayloadBytes: config.maxPayloadBytes,
      apiToken: config.apiToken,
      logger,
      listen: { port: config.port, host: config.host },
    });
    const facts = startupFacts(server.url ?? "", config, await server.stats());
    logger.info(facts, startupMessage(facts));
    const received = await shutdown.signal;
    logger.info(
      `${received}: stopping; running handlers get up to ${config.shutdownTimeout} s (repeat the signal to quit at once)`,
    );
    await server.close(); // logs "jobd stopped" itself
  } finally {
    shutdown.stopListening();
  }
}

type ShutdownSignal = "SIGINT" | "SIGTERM";
const SHUTDOWN_SIGNALS: readonly ShutdownSignal[] = ["SIGINT", "SIGTERM"];

/**
 * The first SIGINT or SIGTERM; any later one goes to `onRepeat` (jobd's own listener, not Node's
 * default, so that it is logged and ends the process with a known code). `stopListening` removes both.
 */
function awaitShutdownSignal(
  signals: SignalSource,
  onRepeat: (signal: ShutdownSignal) => void,
): { signal: Promise<ShutdownSignal>; stopListening: () => void } {
  let resolveFirst: (signal: ShutdownSignal) => void = () => {};
  const signal = new Promise<ShutdownSignal>((resolve) => {
    resolveFirst = resolve;
  });
  let received = false;
  const listeners = { SIGINT: () => fired("SIGINT"), SIGTERM: () => fired("SIGTERM") };
  const listen = () => {
    for (const name of SHUTDOWN_SIGNALS) signals.once(name, listeners[name]);
  };
  const stopListening = () => {
    for (const name of SHUTDOWN_SIGNALS) signals.off(name, listeners[name]);
  };
  const fired = (name: ShutdownSignal) => {
    stopListening(); // `once` removed only the listener that fired
    if (received) return onRepeat(name);
    received = true;
    listen(); // for a second signal
    resolveFirst(name);
  };
  listen();
  return { signal, stopListening };
}

const SERVE_HELP_FOOTER = `
Every flag can also be set in the environment: JOBD_ + its name in capitals with _ for -
(JOBD_PORT=9000, JOBD_PERSIST=1, JOBD_DATA_DIR=/var/lib/jobd); a flag on the command line wins.

Examples:
  jobd serve                                         jobs in memory only (lost on restart)
  jobd serve --persist --backend sqlite --data-dir ./data
  jobd serve --backend postgres --database-url postgres://jobd@127.0.0.1:5432/jobd
  jobd serve --persist --tasks ./tasks --concurrency 4

More: docs/cli.md`;

/**
 * `jobd serve`: resolve the configuration once, start the server (it listens at once and answers 503
 * until recovery is done), log what it runs on, and on SIGINT/SIGTERM shut down gracefully and exit 0.
 * A second signal during the shutdown ends the process at once (the listener is `once`).
 */
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
    const { raw, origin } = rawServeOptions(command, process.env);
    const config = resolveServeConfig(raw, origin);
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
  const shutdown = awaitShutdownSignal(io.signals); // from now on, so a signal during startup counts
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

/**
 * The first SIGINT or SIGTERM. Both listeners go as soon as one fires, so a second signal gets the
 * default behaviour: the process ends at once.
 */
function awaitShutdownSignal(signals: SignalSource): { signal: Promise<string>; stopListening: () => void } {
  let stopListening = () => {};
  const signal = new Promise<string>((resolve) => {
    const onInt = () => fired("SIGINT");
    const onTerm = () => fired("SIGTERM");
    stopListening = () => {
      signals.off("SIGINT", onInt);
      signals.off("SIGTERM", onTerm);
    };
    const fired = (name: string) => {
      stopListening();
      resolve(name);
    };
    signals.once("SIGINT", onInt);
    signals.once("SIGTERM", onTerm);
  });
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

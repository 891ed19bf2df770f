/**
 * `createServer` (DESIGN.md §7), the composition root: options → store → handlers → queue → (HTTP) →
 * recovery → dispatching. It resolves once the store is open, recovery is done and dispatching started.
 */

import type { EarlyListener } from "../http/early-listener.js";
import { HandlerRegistry } from "../queue/handlers.js";
import { JobQueue } from "../queue/job-queue.js";
import { loadTasks } from "../queue/load-tasks.js";
import { RecoveryManager } from "../recovery/recovery-manager.js";
import { openStore } from "../store/create-store.js";
import type { JobStore } from "../store/job-store.js";
import { JobdServer } from "./jobd-server.js";
import { createLogger, httpLoggerOption } from "./logger.js";
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from "./server-options.js";
import { startupLine } from "./startup-line.js";

/**
 * Opens the store, recovers it, and starts running jobs. With `listen`, the port is open at once, before
 * the store (DESIGN.md §5: it answers 503 until recovery is done), and the REST API is served on it
 * before recovering.
 */
export async function createServer(input: ServerOptions = {}): Promise<JobdServer> {
  const options = resolveServerOptions(input);
  const early = options.listen
    ? await (await import("../http/early-listener.js")).EarlyListener.open(options.listen, options.apiToken)
    : undefined;
  try {
    return await start(input, options, early);
  } catch (error) {
    await early?.close();
    throw error;
  }
}

/** Everything after the port: handlers, store, queue, recovery, dispatching. */
async function start(
  input: ServerOptions,
  options: Readonly<ResolvedServerOptions>,
  early: EarlyListener | undefined,
): Promise<JobdServer> {
  const log = createLogger(input.logger);
  const registry = new HandlerRegistry(options.handlers);
  if (options.tasksDir)
    for (const [type, handler] of Object.entries(await loadTasks(options.tasksDir)))
      registry.register(type, handler);
  const store = await openStore(options.persistence, { logger: { warn: (message) => log.warn(message) } });
  const { clock, concurrency, queueConcurrency, maxPayloadBytes } = options;
  const queue = new JobQueue({
    store,
    clock,
    handlers: registry,
    concurrency,
    queueConcurrency,
    maxPayloadBytes,
    log,
  });
  const recoveryManager = new RecoveryManager(store, queue, {
    retentionDays: options.persistence.retentionDays,
    retryFailedOnStartup: options.retryFailedOnStartup,
    clock,
    log,
  });
  const server = new JobdServer({
    options,
    store,
    queue,
    recoveryManager,
    log,
    httpLogger: httpLoggerOption(input.logger),
  });
  try {
    if (early) await server.serveOn(early);
    const recovery = await recoveryManager.recoverOnStartup();
    await queue.start();
    recoveryManager.start();
    server.markReady(recovery);
    log.info(
      { recovery, backend: store.backend, durability: store.durability },
      startupLine(options, store, recovery, registry.types()),
    );
    return server;
  } catch (error) {
    await closeQuietly(server, store);
    throw error;
  }
}

/** A failed start releases what it opened (the port, the store's lock) before the error propagates. */
async function closeQuietly(server: JobdServer, store: JobStore): Promise<void> {
  await server.close().catch(() => store.close().catch(() => {}));
}

/**
 * What `createServer` resolves to: the library API (wire format), the HTTP server on demand, and a
 * graceful, idempotent `close()`.
 */
import type { FastifyInstance, FastifyServerFactory } from "fastify";
import type { Logger } from "pino";
import type { ServerDeps } from "../http/build-server.js";
import type { EarlyListener } from "../http/early-listener.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { RecoveryResult, Stats } from "../queue/job-queue-api.js";
import type { RecoveryManager } from "../recovery/recovery-manager.js";
import type { JobStore } from "../store/job-store.js";
import { LibraryApi } from "./library-api.js";
import type { ListenOptions, ResolvedServerOptions } from "./server-options.js";

export interface JobdServerParts {
  options: Readonly<ResolvedServerOptions>;
  store: JobStore;
  queue: JobQueue;
  recoveryManager: RecoveryManager;
  log: Logger;
  httpLogger: ServerDeps["logger"];
}

/** A running jobd: enqueue, inspect, listen, close. */
export class JobdServer extends LibraryApi {
  /** The startup RecoveryResult. */
  recovery: RecoveryResult = { recovered: 0, requeued: 0, failed: 0, retried: 0, pruned: 0 };
  /** The HTTP address once listening, e.g. `http://127.0.0.1:8080`. */
  url: string | undefined;
  private ready = false;
  private http: FastifyInstance | undefined;
  private early: EarlyListener | undefined;
  private listening = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly parts: JobdServerParts) {
    super(parts.queue);
  }

  /** Serves the REST API; until recovery is done `/readyz` and `/api/*` answer 503. Resolves with the URL. */
  async listen({ port, host = "127.0.0.1" }: ListenOptions): Promise<string> {
    this.http = await this.buildHttp();
    this.url = await this.http.listen({ port, host });
    return this.url;
  }

  /** Serves the REST API on the socket `createServer` opened before the store (early-listener.ts). */
  async serveOn(early: EarlyListener): Promise<string> {
    this.http = await this.buildHttp(early.serverFactory);
    await this.http.ready();
    early.handOver();
    this.early = early;
    this.url = early.url;
    return this.url;
  }

  private async buildHttp(serverFactory?: FastifyServerFactory): Promise<FastifyInstance> {
    if (this.listening) throw new Error(`jobd already listens (${this.url ?? "starting"})`);
    this.listening = true;
    const { queue, options, httpLogger, log } = this.parts;
    // Loaded on demand: an embedded jobd that never listens does not pay for Fastify at startup.
    const { buildServer } = await import("../http/build-server.js");
    return buildServer({
      queue,
      isReady: () => this.ready,
      isDraining: () => this.closing !== undefined,
      apiToken: options.apiToken,
      maxPayloadBytes: options.maxPayloadBytes,
      // Given a ready logger (jobd serve's), the HTTP server logs into it: refusals and faults with
      // their request ids. A silenced one is not passed, so no request pays for a child logger.
      ...(httpLogger || !log.isLevelEnabled("error") ? { logger: httpLogger } : { loggerInstance: log }),
      ...(serverFactory && { serverFactory }),
    });
  }

  /** Counts, recovery, backend and durability, as `GET /api/stats`. */
  stats(): Promise<Stats> {
    return this.queue.stats();
  }

  /** Recovery is done and dispatching started: from now on the API answers. */
  markReady(recovery: RecoveryResult): void {
    this.recovery = recovery;
    this.ready = true;
  }

  /**
   * Graceful shutdown (DESIGN.md §6): stop claiming, give running handlers `shutdownTimeout` to finish,
   * abort and requeue the rest (uncounted), stop the HTTP server, then close (flush) the store. Remote
   * workers keep their leases. Safe to call twice; both calls resolve when it is done.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const { queue, store, recoveryManager, options, log } = this.parts;
    await recoveryManager.stop();
    await queue.shutdown(options.shutdownTimeoutMs);
    await this.http?.close();
    await this.early?.close(); // Fastify closes only a server it started itself
    await store.close();
    log.info("jobd stopped: store closed");
  }
}

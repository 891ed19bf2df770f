/**
 * The wake-up channel between nodes: a transaction that queues jobs sends `pg_notify(channel, runAt)`
 * (delivered only if it commits), and every node LISTENs on one dedicated connection and tells its
 * listeners, so a dispatcher on another node wakes at once instead of at its next poll.
 *
 * Delivery is best effort: while the listening connection is down notifications are lost, so after a
 * reconnect listeners are called once with `0` ("look now"). Polling stays the engine's fallback.
 */
import pg from "pg";
import type { PgNames } from "./pg-names.js";

/** Called with the earliest due time of newly queued jobs; a time in the past means "due now". */
export type JobsAvailableListener = (runAt: number) => void;

/** How long to wait before reconnecting a lost listening connection. */
const RECONNECT_DELAY_MS = 1_000;

/** One node's listening side of the channel: a dedicated connection, reconnected when lost. */
export class JobNotifier {
  readonly #listeners = new Set<JobsAvailableListener>();
  #client: pg.Client | null = null;
  #starting: Promise<void> | null = null;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly names: PgNames,
  ) {}

  /** Adds a listener (connecting on the first one); returns its unsubscribe function. */
  subscribe(listener: JobsAvailableListener): () => void {
    this.#listeners.add(listener);
    if (!this.#client && !this.#starting && !this.#closed) this.#starting = this.#connect();
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once the listening connection is up (for tests, and to listen before acting). */
  async ready(): Promise<void> {
    await this.#starting;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    await this.#starting?.catch(() => {});
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on("notification", (message) => this.#emit(Number(message.payload ?? 0)));
    client.on("error", () => this.#lost(client));
    client.on("end", () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.names.channel}"`);
      if (this.#closed) await client.end();
      else this.#client = client;
    } catch {
      this.#lost(client);
    } finally {
      this.#starting = null;
    }
  }

  /** The connection failed or ended: try again later, and tell listeners to look (they may have missed some). */
  #lost(client: pg.Client): void {
    if (this.#client === client) this.#client = null;
    client.end().catch(() => {});
    if (this.#closed || this.#reconnectTimer) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#closed || this.#client || this.#starting) return;
      this.#starting = this.#connect().then(() => {
        if (this.#client) this.#emit(0);
      });
    }, RECONNECT_DELAY_MS);
    this.#reconnectTimer.unref();
  }

  #emit(runAt: number): void {
    for (const listener of this.#listeners) listener(runAt);
  }
}

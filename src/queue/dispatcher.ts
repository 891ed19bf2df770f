/**
 * Runs due jobs with the in-process handlers: claims only the types this server has handlers for (as
 * worker `local:<server instance id>`), in the store's claim order (highest priority first), up to the
 * free slots of `concurrency` (and of the optional per-queue limits) in one claim call — plus, without
 * per-queue limits, a prefetch sized by the handlers' pace (claim-buffer.ts), so one commit feeds many
 * runs. A freed slot goes at once to the next claimed job; `concurrency` always counts handlers.
 *
 * No busy polling: the dispatcher wakes when a job is queued (WorkSignal: in this process, or another
 * server's work announced by the store's notifications), when a run finishes (a slot is free), and by
 * ONE timer for the next due job (`store.nextRunAt`). Only stores shared with other servers (not
 * `singleNode`: PostgreSQL) are also looked at every `pollMs`, as the fallback for missed notifications.
 */
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.js";
import type { Job } from "../domain/job.js";
import type { JobStore } from "../store/job-store.js";
import { type ClaimSlice, planClaims } from "./claim-plan.js";
import { ClaimedAhead } from "./claimed-ahead.js";
import { DueTimer } from "./due-timer.js";
import type { Executor } from "./executor.js";
import type { HandlerRegistry } from "./handlers.js";
import type { JobPublisher } from "./job-events.js";
import type { WorkHint, WorkSignal } from "./work-signal.js";

export interface DispatcherOptions {
  store: JobStore;
  clock: Clock;
  registry: HandlerRegistry;
  executor: Executor;
  work: WorkSignal;
  publisher: JobPublisher;
  workerId: string;
  concurrency: number;
  queueConcurrency: Readonly<Record<string, number>>;
  leaseMs: number;
  /** How often to look for other servers' jobs; 0 = never (single-node stores). */
  pollMs: number;
  log: Logger;
}

/** After a store error the dispatcher tries again this much later instead of spinning. */
const RETRY_AFTER_ERROR_MS = 1_000;
/** A due job the last claim did not get is looked for again after this, not in a tight loop. */
const MIN_RECHECK_MS = 10;
/** The longest the pump keeps the thread before it lets timers and I/O run. */
const MAX_TURN_MS = 10;

/** idle → running → stopped; stop() may come before start() and twice. */
type DispatcherState = "idle" | "running" | "stopped";

/** Claims due jobs for the local handlers and hands them to the executor. */
export class Dispatcher {
  private state: DispatcherState = "idle";
  private readonly timer: DueTimer;
  private readonly limits: Map<string, number>;
  private readonly knownQueues = new Set<string>();
  private readonly runningByQueue = new Map<string, number>();
  private running = 0;
  /** Claimed jobs not started yet (prefetch; see claimed-ahead.ts). */
  private readonly buffer: ClaimedAhead;
  private unsubscribe: () => void = () => {};
  private pollTimer: NodeJS.Timeout | undefined;
  private wakeScheduled = false;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  /** When the pump first ran in the current event-loop turn (null: not yet this turn). */
  private turnStartedAt: number | null = null;

  constructor(private readonly options: DispatcherOptions) {
    this.timer = new DueTimer(options.clock, () => this.wake());
    this.buffer = new ClaimedAhead(options);
    this.limits = new Map(Object.entries(options.queueConcurrency));
  }

  /** Starts dispatching (nothing to do without handlers). Idempotent. */
  async start(): Promise<void> {
    if (this.state !== "idle") return;
    this.state = "running";
    if (this.options.registry.size === 0) return;
    if (this.limits.size > 0) await this.learnQueues();
    this.unsubscribe = this.options.work.subscribe((job) => this.onQueued(job));
    if (this.options.pollMs > 0) {
      this.pollTimer = setInterval(() => this.wake(), this.options.pollMs);
      this.pollTimer.unref();
    }
    this.wake();
  }

  /**
   * Stops claiming and starting runs; once a claim in progress is back, releases every claimed job whose
   * handler has not started (`releaseOnShutdown`: queued again, the attempt not counted).
   */
  async stop(): Promise<void> {
    this.state = "stopped";
    this.timer.clear();
    this.unsubscribe();
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.pumping;
    await this.buffer.releaseAll();
  }

  /** Forgets a claimed job that has not started (cancelled or taken away); true if it was buffered. */
  drop(id: string): boolean {
    return this.buffer.drop(id);
  }

  /** Claimed jobs whose handlers have not started (their leases are renewed like running ones). */
  buffered(): Iterable<Job> {
    return this.buffer.values();
  }

  /**
   * Looks for due work once the current tick's callbacks are done: many wake-ups in one tick make one
   * claim, and that claim is issued before the stores' group commit (a later turn) — so the claim
   * shares one transaction, one fsync, with the outcomes that freed the slots.
   */
  wake(): void {
    if (this.state !== "running" || this.wakeScheduled) return;
    this.wakeScheduled = true;
    process.nextTick(() => {
      this.wakeScheduled = false;
      this.pump();
    });
  }

  /** How many runs are in flight. */
  get inFlight(): number {
    return this.running;
  }

  private onQueued(work: WorkHint): void {
    if (work.type !== undefined && !this.options.registry.get(work.type)) return;
    if (work.queue !== undefined) this.knownQueues.add(work.queue);
    if (work.runAt <= this.options.clock.now()) this.wake();
    else this.timer.armAt(work.runAt);
  }

  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pumpLoop().finally(() => {
      this.pumping = null;
    });
  }

  private async pumpLoop(): Promise<void> {
    do {
      this.pumpAgain = false;
      await this.letOthersRun();
      try {
        await this.claimAndRun();
      } catch (error) {
        this.options.log.error({ err: error }, "claiming jobs failed; trying again shortly");
        this.timer.armAt(this.options.clock.now() + RETRY_AFTER_ERROR_MS);
        return;
      }
    } while (this.pumpAgain && this.state === "running");
  }

  /**
   * With a store that answers without I/O (memory) and handlers that do none, claim → run → claim would
   * chain through microtasks forever and starve the event loop (HTTP included). So a pump that has kept
   * the thread for MAX_TURN_MS gives it up for one turn. Stores that do I/O end the turn on every claim,
   * which resets the clock, so they never pay for this.
   */
  private async letOthersRun(): Promise<void> {
    const now = performance.now();
    if (this.turnStartedAt === null) {
      this.turnStartedAt = now;
      setImmediate(() => {
        this.turnStartedAt = null;
      });
    } else if (now - this.turnStartedAt > MAX_TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Starts buffered jobs in the free slots, then claims for the slots still free plus the prefetch
   * (without per-queue limits only: a buffered job must fit any free slot). When fewer jobs were due than
   * asked for, sets the timer for the next one.
   */
  private async claimAndRun(): Promise<void> {
    const { store, clock, workerId, leaseMs, registry, concurrency } = this.options;
    this.startBuffered();
    const prefetch = this.limits.size === 0;
    const slices = prefetch
      ? [{ limit: this.buffer.claimSize(concurrency - this.running) }]
      : planClaims({
          free: concurrency - this.running,
          limits: this.limits,
          runningByQueue: this.runningByQueue,
          knownQueues: this.knownQueues,
        });
    let short = false;
    for (const slice of slices) {
      const limit = prefetch ? slice.limit : Math.min(slice.limit, concurrency - this.running);
      if (limit <= 0 || this.state !== "running") return;
      const request = {
        workerId,
        leaseMs,
        limit,
        now: clock.now(),
        types: registry.types(),
        queues: slice.queues,
      };
      this.options.executor.writeOutcomes(); // the same commit as the claim
      const jobs = await store.claim(request);
      this.buffer.add(jobs);
      for (const job of jobs) this.options.publisher.changed(job);
      this.startBuffered();
      if (jobs.length < limit) short = true;
    }
    if (short && this.state === "running") await this.armForNextDue(slices);
  }

  /** Fills the free slots from the buffer, oldest claim first. */
  private startBuffered(): void {
    while (this.running < this.options.concurrency && this.state === "running") {
      const job = this.buffer.take();
      if (job === undefined) return;
      this.launch(job);
    }
  }

  private async armForNextDue(slices: ClaimSlice[]): Promise<void> {
    const queue = slices.some((s) => !s.queues) ? undefined : slices.flatMap((s) => s.queues ?? []);
    const next = await this.options.store.nextRunAt({ type: this.options.registry.types(), queue });
    if (next !== null) this.timer.armAt(Math.max(next, this.options.clock.now() + MIN_RECHECK_MS));
  }

  /** Runs `job`; when its handler settles, its slot goes to the next buffered job at once. */
  private launch(job: Job): void {
    this.running++;
    this.runningByQueue.set(job.queue, (this.runningByQueue.get(job.queue) ?? 0) + 1);
    this.options.executor.run(job, () => {
      this.running--;
      this.runningByQueue.set(job.queue, (this.runningByQueue.get(job.queue) ?? 1) - 1);
      this.startBuffered();
      this.wake();
    });
  }

  /** With per-queue limits, "every other queue" needs the queue names: the stored ones to begin with. */
  private async learnQueues(): Promise<void> {
    for (const queue of Object.keys((await this.options.store.counts()).queues)) this.knownQueues.add(queue);
  }
}

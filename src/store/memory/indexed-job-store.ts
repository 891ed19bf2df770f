/**
 * A JobStore over a JobIndex and a ChangeLog: MemoryJobStore and JsonJobStore are this class with a
 * different change log, so the two share every rule.
 *
 * Each operation runs synchronously against the index (so it is atomic: nothing else runs in between),
 * then appends its changes to the log and answers once they are durable. An answer never shows a change
 * that is not yet durable: reads and refusals also wait for the log's barrier.
 */
import type { StorageBackend } from "../../config/persistence.js";
import { conflict, invalid, JobdError, notFound } from "../../domain/errors.js";
import { FINISHED_STATUSES, type Job } from "../../domain/job.js";
import { claim } from "../../domain/transitions.js";
import type {
  ClaimRequest,
  CreateResult,
  Durability,
  JobCounts,
  JobFilter,
  JobStore,
  OptionalTransition,
  QueryParams,
  QueryResult,
  StoreCapabilities,
  Transition,
} from "../job-store.js";
import type { ChangeLog, JobChange } from "./change-log.js";
import { detached, type JobIndex } from "./job-index.js";
import { queryJobs } from "./query-jobs.js";

/** A transition's input: a shallow copy (transitions replace fields, never mutate payload or result). */
const copy = (job: Job): Job => ({ ...job });
const put = (job: Job): JobChange => ({ op: "put", job });
const oldestFirst = (jobs: Iterable<Job>) =>
  [...jobs].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** A JobStore kept in memory whose changes a ChangeLog makes durable. */
export abstract class IndexedJobStore implements JobStore {
  abstract readonly backend: StorageBackend;
  abstract readonly durability: Durability;
  abstract readonly capabilities: StoreCapabilities;
  private closed = false;
  private closing: Promise<void> | null = null;

  protected constructor(
    protected readonly index: JobIndex,
    private readonly log: ChangeLog,
  ) {}

  save(job: Job): Promise<void> {
    return this.run((changes) => {
      changes.push(put(this.index.put(job)));
    });
  }

  get(id: string): Promise<Job | null> {
    return this.run(() => {
      const job = this.index.peek(id);
      return job ? detached(job) : null;
    });
  }

  list(): Promise<Job[]> {
    return this.run(() => oldestFirst(this.index.all()).map(detached));
  }

  delete(id: string): Promise<boolean> {
    return this.run((changes) => {
      if (!this.index.remove(id)) return false;
      changes.push({ op: "delete", id });
      return true;
    });
  }

  getPending(): Promise<Job[]> {
    return this.run(() =>
      oldestFirst(this.index.matching({ status: ["queued", "processing"] })).map(detached),
    );
  }

  cleanup(olderThan: number): Promise<number> {
    return this.run((changes) => {
      const expired = [...this.index.matching({ status: FINISHED_STATUSES })].filter(
        (job) => job.finishedAt !== null && job.finishedAt < olderThan,
      );
      for (const job of expired) {
        this.index.remove(job.id);
        changes.push({ op: "delete", id: job.id });
      }
      return expired.length;
    });
  }

  create(job: Job): Promise<CreateResult> {
    return this.createMany([job]).then(([result]) => result as CreateResult);
  }

  createMany(jobs: readonly Job[]): Promise<CreateResult[]> {
    return this.run((changes) => {
      const planned = this.planCreates(jobs);
      return planned.map(({ job, created }) => {
        if (!created) return { job: detached(job), created };
        const stored = this.index.put(job);
        changes.push(put(stored));
        return { job: detached(stored), created };
      });
    });
  }

  claim(request: ClaimRequest): Promise<Job[]> {
    return this.run((changes) => {
      const { workerId, leaseMs, now } = request;
      const claimed: Job[] = [];
      while (claimed.length < request.limit) {
        const next = this.index.claimOrder.takeNext(now, request);
        if (!next) break;
        const stored = this.index.put(claim(next, { workerId, leaseMs, now }));
        changes.push(put(stored));
        claimed.push(detached(stored));
      }
      return claimed;
    });
  }

  nextRunAt(filter: Pick<JobFilter, "type" | "queue">): Promise<number | null> {
    return this.run(() => this.index.claimOrder.nextRunAt({ types: filter.type, queues: filter.queue }));
  }

  update(id: string, transition: Transition): Promise<Job> {
    return this.run((changes) => {
      const current = this.index.peek(id);
      if (!current) throw notFound(id);
      const stored = this.index.put(this.checked(current, transition(copy(current))));
      changes.push(put(stored));
      return detached(stored);
    });
  }

  remove(id: string, guard: (job: Job) => void): Promise<Job> {
    return this.run((changes) => {
      const current = this.index.peek(id);
      if (!current) throw notFound(id);
      guard(current);
      this.index.remove(id);
      changes.push({ op: "delete", id });
      return detached(current);
    });
  }

  updateMany(filter: JobFilter, transition: OptionalTransition): Promise<Job[]> {
    return this.run((changes) => {
      // Every transition runs before anything is stored, so one that throws leaves all jobs unchanged.
      const planned: Job[] = [];
      for (const job of this.index.matching(filter)) {
        const next = transition(copy(job));
        if (next) planned.push(this.checked(job, next));
      }
      return planned.map((next) => {
        const stored = this.index.put(next);
        changes.push(put(stored));
        return detached(stored);
      });
    });
  }

  query(params: QueryParams): Promise<QueryResult> {
    return this.run(() => queryJobs(this.index, params));
  }

  counts(): Promise<JobCounts> {
    return this.run(() => this.index.counts());
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Runs once, when new operations are already refused: makes everything durable and lets go of files. */
  protected async shutdown(): Promise<void> {
    await this.log.close();
  }

  /**
   * Runs `operation` against the index at once, then answers when its changes (and every earlier
   * one) are durable; a refusal also waits, so it never reflects a change that could still be lost.
   */
  protected async run<T>(operation: (changes: JobChange[]) => T): Promise<T> {
    if (this.closed) throw new JobdError("unavailable", `the ${this.backend} job store is closed`);
    const changes: JobChange[] = [];
    let result: T;
    try {
      result = operation(changes);
    } catch (error) {
      await this.log.barrier();
      throw error;
    }
    await (changes.length > 0 ? this.log.append(changes) : this.log.barrier());
    return result;
  }

  /** Splits a batch into jobs to store and stored jobs that already hold their idempotency keys. */
  private planCreates(jobs: readonly Job[]): CreateResult[] {
    const keys = new Set<string>();
    const ids = new Set<string>();
    return jobs.map((job) => {
      if (job.idempotencyKey !== null) {
        if (keys.has(job.idempotencyKey))
          throw invalid(`idempotency key "${job.idempotencyKey}" appears twice in one batch`);
        keys.add(job.idempotencyKey);
        const stored = this.index.byKey(job.idempotencyKey);
        if (stored) return { job: stored, created: false };
      }
      if (ids.has(job.id) || this.index.peek(job.id)) throw conflict(`job ${job.id} already exists`);
      ids.add(job.id);
      return { job, created: true };
    });
  }

  /** A transition must return the same job, not another one. */
  private checked(current: Job, next: Job): Job {
    if (next.id !== current.id) throw new Error(`a transition of job ${current.id} returned job ${next.id}`);
    return next;
  }
}

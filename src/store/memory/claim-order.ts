/**
 * The order in which due queued jobs are claimed, kept in heaps so that a claim never scans every job.
 *
 * Queued jobs are grouped by queue and type (claim filters select groups, not jobs). Each group has a
 * `delayed` heap by `runAt` and a `ready` heap in claim order (priority desc, runAt asc, id asc); a claim
 * first moves the jobs that became due from `delayed` to `ready`. Heap entries are job versions and go
 * stale lazily: an entry counts only while it is still the index's current version of a queued job, and
 * a group is compacted when stale entries outnumber live ones.
 */
import type { Job } from "../../domain/job.js";
import { Heap } from "./heap.js";

/** Which jobs a claim or `nextRunAt` considers: absent lists mean any. */
export interface ClaimFilter {
  types?: readonly string[];
  queues?: readonly string[];
}

const compareIds = (a: Job, b: Job) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byRunAt = (a: Job, b: Job) => a.runAt - b.runAt || compareIds(a, b);

/** Claim order: highest priority, then earliest `runAt`, then oldest (UUID v7 ids sort by creation). */
export const byClaimOrder = (a: Job, b: Job) => b.priority - a.priority || byRunAt(a, b);

/** How many stale entries a group may carry beyond twice its live jobs before it is compacted. */
const STALE_SLACK = 64;

class JobGroup {
  readonly delayed = new Heap<Job>(byRunAt);
  readonly ready = new Heap<Job>(byClaimOrder);
  /** Queued jobs of this group in the index (entries may be more: stale ones). */
  live = 0;
}

/** The claim order over every queued job of an index. */
export class ClaimOrder {
  private readonly groups = new Map<string, Map<string, JobGroup>>();

  /** `isCurrent(job)`: the index still holds exactly this version of the job, and it is queued. */
  constructor(private readonly isCurrent: (job: Job) => boolean) {}

  /** A queued job version entered the index. */
  add(job: Job): void {
    const byType = this.groups.get(job.queue) ?? new Map<string, JobGroup>();
    this.groups.set(job.queue, byType);
    const group = byType.get(job.type) ?? new JobGroup();
    byType.set(job.type, group);
    group.delayed.push(job);
    group.live++;
  }

  /** A queued job version left the index (replaced or deleted); call after the index changed. */
  remove(job: Job): void {
    const byType = this.groups.get(job.queue);
    const group = byType?.get(job.type);
    if (!byType || !group) return;
    group.live--;
    if (group.live <= 0) {
      byType.delete(job.type);
      if (byType.size === 0) this.groups.delete(job.queue);
    } else if (group.delayed.size + group.ready.size > 2 * group.live + STALE_SLACK) {
      group.delayed.retain(this.isCurrent);
      group.ready.retain(this.isCurrent);
    }
  }

  /**
   * Takes the first due job in claim order among the groups `filter` selects, or undefined. The caller
   * must then store the job's next (processing) version.
   */
  takeNext(now: number, filter: ClaimFilter): Job | undefined {
    let best: { group: JobGroup; job: Job } | undefined;
    for (const group of this.select(filter)) {
      const job = this.readyTop(group, now);
      if (job && (!best || byClaimOrder(job, best.job) < 0)) best = { group, job };
    }
    best?.group.ready.pop();
    return best?.job;
  }

  /** The earliest `runAt` among queued jobs the filter selects, or null. */
  nextRunAt(filter: ClaimFilter): number | null {
    let earliest: number | null = null;
    const consider = (runAt: number) => {
      if (earliest === null || runAt < earliest) earliest = runAt;
    };
    for (const group of this.select(filter)) {
      const delayed = this.cleanTop(group.delayed);
      if (delayed) consider(delayed.runAt);
      // Ready jobs are ordered by priority, not runAt; there are only as many as were due at the last claim.
      for (const job of group.ready.values()) if (this.isCurrent(job)) consider(job.runAt);
    }
    return earliest;
  }

  private *select(filter: ClaimFilter): Iterable<JobGroup> {
    const queues = filter.queues ?? [...this.groups.keys()];
    for (const queue of queues) {
      const byType = this.groups.get(queue);
      if (!byType) continue;
      if (!filter.types) yield* byType.values();
      else
        for (const type of filter.types) {
          const group = byType.get(type);
          if (group) yield group;
        }
    }
  }

  /** Moves the group's due jobs to `ready` and returns the best ready one. */
  private readyTop(group: JobGroup, now: number): Job | undefined {
    for (
      let job = this.cleanTop(group.delayed);
      job && job.runAt <= now;
      job = this.cleanTop(group.delayed)
    ) {
      group.delayed.pop();
      group.ready.push(job);
    }
    return this.cleanTop(group.ready);
  }

  /** Drops stale entries from the top of `heap` and returns the live top. */
  private cleanTop(heap: Heap<Job>): Job | undefined {
    let top = heap.peek();
    while (top && !this.isCurrent(top)) {
      heap.pop();
      top = heap.peek();
    }
    return top;
  }
}

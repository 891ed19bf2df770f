/**
 * The parent's model of what a killed child wrote: for each job, the last version the store
 * acknowledged, plus the writes still in flight at the kill. `check` compares a reopened store with it:
 * every acknowledged write must be there, intact; a job may differ from its acknowledged version only by
 * exactly what an in-flight write would have made of it; and no job may appear from nowhere.
 */
import { isDeepStrictEqual } from "node:util";
import type { Job } from "../../../src/domain/job.js";
import { claim, complete } from "../../../src/domain/transitions.js";
import type { ChildLine, Intent } from "./protocol.js";

export class AcknowledgedModel {
  private readonly jobs = new Map<string, Job>();
  private readonly deleted = new Set<string>();
  private readonly inFlight = new Map<number, Intent>();
  /** Acknowledged writes seen over all rounds. */
  acknowledged = 0;

  /** Feeds one line the child printed. */
  record(line: ChildLine): void {
    if ("ready" in line) return;
    if ("w" in line) {
      this.inFlight.set(line.w, line);
      return;
    }
    this.inFlight.delete(line.a);
    this.acknowledged++;
    if ("deleted" in line) {
      this.jobs.delete(line.deleted);
      this.deleted.add(line.deleted);
    } else for (const job of line.jobs) this.jobs.set(job.id, job);
  }

  /** Problems found in `stored` (the reopened store's jobs); empty when it keeps every acknowledged write. */
  check(stored: readonly Job[]): string[] {
    const problems: string[] = [];
    const byId = new Map(stored.map((job) => [job.id, job]));
    for (const [id, acked] of this.jobs) {
      const found = byId.get(id);
      if (!found) {
        if (!this.deleteInFlight(id)) problems.push(`acknowledged job ${id} is missing`);
      } else if (
        !isDeepStrictEqual(found, acked) &&
        !this.successors(acked).some((s) => isDeepStrictEqual(s, found))
      )
        problems.push(
          `job ${id} is neither as acknowledged nor as an in-flight write left it: ${JSON.stringify(found)}`,
        );
    }
    for (const id of this.deleted) if (byId.has(id)) problems.push(`deleted job ${id} is back`);
    for (const job of stored)
      if (!this.jobs.has(job.id) && !this.deleted.has(job.id) && !this.createdInFlight(job))
        problems.push(`job ${job.id} was never written: ${JSON.stringify(job)}`);
    return problems;
  }

  /** After a successful check, the reopened store is the new truth; in-flight writes are settled. */
  reset(stored: readonly Job[]): void {
    this.jobs.clear();
    for (const job of stored) this.jobs.set(job.id, job);
    this.inFlight.clear();
  }

  /** What the in-flight claims and completes would have made of `acked`. */
  private successors(acked: Job): Job[] {
    const next: Job[] = [];
    for (const intent of this.inFlight.values()) {
      if (intent.kind === "claim" && acked.status === "queued" && acked.type === intent.type)
        next.push(claim(acked, intent));
      if (intent.kind === "complete" && intent.id === acked.id)
        next.push(complete(acked, { workerId: intent.workerId, attempt: intent.attempt }, intent));
    }
    return next;
  }

  private deleteInFlight(id: string): boolean {
    return [...this.inFlight.values()].some((intent) => intent.kind === "delete" && intent.id === id);
  }

  private createdInFlight(job: Job): boolean {
    return [...this.inFlight.values()].some(
      (intent) => intent.kind === "create" && intent.jobs.some((j) => isDeepStrictEqual(j, job)),
    );
  }
}

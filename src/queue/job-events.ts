/**
 * The job events (`/api/events`, the library's `on`): one per state change and one per progress report.
 * A listener that throws is logged and never disturbs the change that caused the event.
 */
import type { Logger } from "pino";
import type { Job, JobStatus } from "../domain/job.js";
import type { JobEventName } from "./job-queue-api.js";

/** Listens to one event name with the internal job. */
export type JobListener = (job: Job) => void;

/** The event a job's new state announces (a job queued again is "retrying"; creation is "created"). */
const EVENT_FOR_STATUS: Record<JobStatus, JobEventName> = {
  queued: "retrying",
  processing: "started",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

/** The event for a job whose status just changed to `job.status`. */
export const eventForChange = (job: Job): JobEventName => EVENT_FOR_STATUS[job.status];

/** A typed emitter of job events; each listener is isolated from the others' errors. */
export class JobEvents {
  private readonly listeners = new Map<JobEventName, Set<JobListener>>();

  constructor(private readonly log: Logger) {}

  on(event: JobEventName, listener: JobListener): void {
    const set = this.listeners.get(event) ?? new Set<JobListener>();
    this.listeners.set(event, set);
    set.add(listener);
  }

  off(event: JobEventName, listener: JobListener): void {
    this.listeners.get(event)?.delete(listener);
  }

  emit(event: JobEventName, job: Job): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(job);
      } catch (error) {
        this.log.error({ err: error, event, jobId: job.id }, "a job event listener threw");
      }
    }
  }
}

/** Where the parts of the engine announce what they changed; the JobQueue emits and wakes waiters. */
export interface JobPublisher {
  /** The job's status just changed to `job.status`. */
  changed(job: Job): void;
  /** A progress report was stored. */
  progressed(job: Job): void;
}

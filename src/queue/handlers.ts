/**
 * In-process handlers: the functions this server runs jobs with, one per job type. Jobs of a type with
 * no handler here stay queued for remote workers.
 */
import type { Logger } from "pino";
import { invalid } from "../domain/errors.js";
import type { JobJson, JsonValue } from "../domain/job.js";

/** What a handler gets besides the payload (DESIGN.md §6). */
export interface HandlerContext {
  /** The job as the API shows it, at the moment it was claimed. */
  job: JobJson;
  /** Fires on cancel, on `timeout_ms`, when the lease is lost, or when the shutdown timeout runs out. */
  signal: AbortSignal;
  /**
   * Reports progress 0…100: a value outside that throws at once (uncaught, it fails the run like any
   * handler error). The promise resolves once stored and never rejects; harmless (ignored) once the
   * run is over.
   */
  progress(percent: number): Promise<void>;
  /** A logger bound to the job's id and type. */
  log: Logger;
}

/**
 * Runs one job. What it returns becomes the job's `result` (it must be JSON); what it throws is a failure
 * (retried while attempts remain; an error with `retryable: false` fails the job at once).
 */
export type JobHandler = (payload: JsonValue, ctx: HandlerContext) => unknown;

/** Handlers by job type, as the library's `handlers` option gives them. */
export type HandlerMap = Record<string, JobHandler>;

const TYPE_NAME = /^[A-Za-z0-9_.:-]{1,200}$/;

/** The job types this server runs itself, and their handlers. */
export class HandlerRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  constructor(handlers: HandlerMap = {}) {
    for (const [type, handler] of Object.entries(handlers)) this.register(type, handler);
  }

  /** Adds the handler for `type`; a type may have one handler only. */
  register(type: string, handler: JobHandler): void {
    if (!TYPE_NAME.test(type))
      throw invalid(`handler type "${type}" must be 1–200 letters, digits, "_", ".", ":" or "-"`);
    if (typeof handler !== "function") throw invalid(`the handler for "${type}" is not a function`);
    if (this.handlers.has(type)) throw invalid(`two handlers for job type "${type}"`);
    this.handlers.set(type, handler);
  }

  get(type: string): JobHandler | undefined {
    return this.handlers.get(type);
  }

  /** Every type with a handler; the dispatcher claims only these. */
  types(): string[] {
    return [...this.handlers.keys()];
  }

  get size(): number {
    return this.handlers.size;
  }
}

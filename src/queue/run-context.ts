/**
 * The `ctx` a handler gets (`{ job, signal, progress, log }`, DESIGN.md §6). One small object per run:
 * `job` (the wire format), `log` (a child logger) and the bound `progress` are made on first use, since
 * most handlers need none of them.
 */
import type { Logger } from "pino";
import type { JobJson } from "../domain/job.js";
import { toJobJson } from "../domain/job.js";
import { checkProgress } from "../domain/transitions.js";
import type { HandlerContext } from "./handlers.js";
import type { Run } from "./run.js";

/** Where progress reports go (the executor). */
export interface ProgressSink {
  /** Never rejects. */
  reportProgress(run: Run, percent: number): Promise<void>;
}

/** A handler's context for one run. */
export class RunContext implements HandlerContext {
  private jobJson: JobJson | undefined = undefined;
  private jobLog: Logger | undefined = undefined;
  private boundProgress: ((percent: number) => Promise<void>) | undefined = undefined;

  constructor(
    private readonly run: Run,
    private readonly sink: ProgressSink,
    private readonly baseLog: Logger,
  ) {}

  get job(): JobJson {
    this.jobJson ??= toJobJson(this.run.job);
    return this.jobJson;
  }

  get signal(): AbortSignal {
    return this.run.signal;
  }

  /**
   * Bound, so `const { progress } = ctx` works. A bad value throws here, synchronously, so the handler
   * can catch it; the write itself never rejects (an unawaited rejection would end the process).
   */
  get progress(): (percent: number) => Promise<void> {
    this.boundProgress ??= (percent) => this.sink.reportProgress(this.run, checkProgress(percent));
    return this.boundProgress;
  }

  get log(): Logger {
    const { id, type, attempts } = this.run.job;
    this.jobLog ??= this.baseLog.child({ jobId: id, type, attempt: attempts });
    return this.jobLog;
  }
}

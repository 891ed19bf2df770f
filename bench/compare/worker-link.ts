/**
 * The runner's side of a worker child: spawns it (fork inherits `--import tsx`, and `--cpu-prof` when
 * profiling), sends commands, and timestamps each event on arrival with the runner's clock.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WorkerCommand, WorkerEvent, WorkerEventName, WorkerLaunch } from "./worker-protocol.js";

const WORKER_SCRIPT = fileURLToPath(new URL("./worker-process.ts", import.meta.url));
const STOP_TIMEOUT_MS = 15_000;

/** A running worker child process. */
export class WorkerLink {
  /** `performance.now()` when the child was forked. */
  readonly spawnedAt = performance.now();
  private readonly child: ChildProcess;
  private readonly seen = new Map<WorkerEventName, number>();
  private readonly waiters = new Map<WorkerEventName, Array<(at: number) => void>>();
  private lastCount = 0;
  private failure: Error | undefined;
  private readonly failureListeners: Array<(error: Error) => void> = [];

  constructor(launch: WorkerLaunch) {
    this.child = fork(WORKER_SCRIPT, [JSON.stringify(launch)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (event: WorkerEvent) => this.record(event));
    this.child.on("exit", (code, signal) => {
      if (!this.seen.has("stopped"))
        this.fail(new Error(`worker exited early (code ${code}, signal ${signal})`));
    });
  }

  /** Resolves with the arrival time of `event` (at once if it already came). */
  waitFor(event: WorkerEventName, timeoutMs = 600_000): Promise<number> {
    const at = this.seen.get(event);
    if (at !== undefined) return Promise.resolve(at);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker: no "${event}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const done = (value: number) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.set(event, [...(this.waiters.get(event) ?? []), done]);
      this.failureListeners.push((error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Sends a command and waits for the event that answers it. */
  async command(command: WorkerCommand, answer: WorkerEventName): Promise<number> {
    this.child.send(command);
    return this.waitFor(answer);
  }

  /** How many jobs the worker has completed so far. */
  async completed(): Promise<number> {
    this.seen.delete("counted");
    await this.command({ cmd: "count" }, "counted");
    return this.lastCount;
  }

  /**
   * Waits for `drained` up to `capMs` after `since`. Returns the arrival time, or undefined when the
   * cap passed first (the caller then asks `completed()` how far the worker got).
   */
  async drainedWithin(since: number, capMs: number): Promise<number | undefined> {
    const remaining = since + capMs - performance.now();
    try {
      return await this.waitFor("drained", Math.max(1, remaining));
    } catch (error) {
      if (this.failure) throw error;
      return undefined;
    }
  }

  /** Stops the worker gracefully; kills it if it does not stop in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    if (this.child.connected) this.child.send({ cmd: "stop" } satisfies WorkerCommand);
    else this.child.kill("SIGKILL");
    await exited;
    clearTimeout(timer);
  }

  private record(event: WorkerEvent): void {
    if (event.ev === "error") {
      this.fail(new Error(`worker: ${event.message}`));
      return;
    }
    if (event.ev === "counted") this.lastCount = event.completed;
    const at = performance.now();
    this.seen.set(event.ev, at);
    for (const resolve of this.waiters.get(event.ev) ?? []) resolve(at);
    this.waiters.delete(event.ev);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const listener of this.failureListeners) listener(error);
    this.failureListeners.length = 0;
  }
}

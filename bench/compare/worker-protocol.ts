/** Messages between the runner and a worker child process (over the fork IPC channel). */

/** Runner → worker. */
export type WorkerCommand =
  | { cmd: "start" }
  | { cmd: "enqueueMany"; count: number }
  | { cmd: "count" }
  | { cmd: "stop" };

/**
 * Worker → runner. `ready`: modules loaded; `first`: first handler call; `drained`: target reached;
 * `counted`: the answer to `count` (completions so far).
 */
export type WorkerEvent =
  | { ev: "ready" | "started" | "first" | "drained" | "enqueued" | "stopped" }
  | { ev: "counted"; completed: number }
  | { ev: "error"; message: string };

export type WorkerEventName = Exclude<WorkerEvent["ev"], "error">;

/** What the worker child gets on its command line (as one JSON argument). */
export interface WorkerLaunch {
  systemId: string;
  ref: Record<string, string | number | boolean>;
  /** Completions after which `drained` is sent. */
  target: number;
  concurrency: number;
  /** Start consuming right after loading (W4 measures from process start). */
  autostart: boolean;
}

/**
 * The worker child: one process per measured worker, so its event loop is not the runner's. It loads
 * the system's adapter, waits for `start` (or starts at once with `autostart`), counts completions and
 * reports `first` and `drained` to the runner, which timestamps them on arrival.
 */
import { makePayloads, type RunningWorker } from "./adapter.js";
import { loadSystem } from "./systems.js";
import type { WorkerCommand, WorkerEvent, WorkerLaunch } from "./worker-protocol.js";

const launch = JSON.parse(process.argv[2] ?? "{}") as WorkerLaunch;
const system = await loadSystem(launch.systemId);
let running: RunningWorker | undefined;
let picked = 0;
let completed = 0;

function report(event: WorkerEvent): Promise<void> {
  return new Promise((resolve) => process.send?.(event, undefined, {}, () => resolve()) ?? resolve());
}

async function start(): Promise<void> {
  running = await system.startWorker(launch.ref, {
    concurrency: launch.concurrency,
    onPickup: () => {
      if (picked++ === 0) void report({ ev: "first" });
    },
    onCompleted: () => {
      if (++completed === launch.target) void report({ ev: "drained" });
    },
  });
  await report({ ev: "started" });
}

async function handle(command: WorkerCommand): Promise<void> {
  if (command.cmd === "start") return start();
  if (command.cmd === "count") return report({ ev: "counted", completed });
  if (command.cmd === "enqueueMany") {
    if (!running?.producer) throw new Error(`${system.id} has no in-process producer`);
    await running.producer.enqueueMany(makePayloads(command.count));
    return report({ ev: "enqueued" });
  }
  await running?.stop();
  await report({ ev: "stopped" });
  // Pools and timers some libraries leave behind must not keep the child alive.
  process.exit(0);
}

function reportError(error: Error): void {
  void report({ ev: "error", message: error.stack ?? String(error) });
}

// The runner is gone (killed or crashed): do not linger holding a store.
process.on("disconnect", () => process.exit(1));
process.on("message", (command: WorkerCommand) => {
  handle(command).catch(reportError);
});

void report({ ev: "ready" });
if (launch.autostart) start().catch(reportError);

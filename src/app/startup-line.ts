/** The startup log line: which backend keeps the jobs where, how durably, and what recovery found. */
import type { RecoveryResult } from "../queue/job-queue-api.js";
import type { JobStore } from "../store/job-store.js";
import type { ResolvedServerOptions } from "./server-options.js";

/** E.g. `jobd ready: backend sqlite in /srv/data (durability power-loss); recovery: recovered 3, …`. */
export function startupLine(
  options: Readonly<ResolvedServerOptions>,
  store: JobStore,
  recovery: RecoveryResult,
  handlerTypes: readonly string[],
): string {
  const where = store.capabilities.persistent
    ? `backend ${store.backend}${store.backend === "postgres" ? "" : ` in ${options.persistence.storagePath}`} (durability ${store.durability})`
    : `backend ${store.backend} (durability none: jobs are kept in memory only, nothing survives a restart)`;
  const counts = Object.entries(recovery)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  const handlers = handlerTypes.length > 0 ? handlerTypes.join(", ") : "none (remote workers only)";
  return `jobd ready: ${where}; recovery: ${counts}; in-process handlers: ${handlers}, concurrency ${options.concurrency}`;
}

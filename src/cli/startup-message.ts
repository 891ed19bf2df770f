/** The startup log line of `jobd serve`: where it listens, what keeps the jobs, what recovery found. */
import type { RecoveryResult } from "../queue/job-queue-api.js";
import type { Durability } from "../store/job-store.js";
import type { ServeConfig } from "./serve-config.js";

const DURABILITY_TEXT: Record<Durability, string> = {
  none: "jobs are kept in memory only: nothing survives a restart (add --persist to keep them)",
  "process-crash": "every change survives a killed process, not a power cut",
  "power-loss": "every change survives a killed process and a power cut",
};

/** One sentence a person can read; the same facts also go into the log line's fields. */
export function startupMessage(
  url: string,
  config: Readonly<ServeConfig>,
  stats: { backend: string; durability: Durability; recovery: RecoveryResult },
): string {
  const { backend, durability, recovery } = stats;
  const where = config.persistence.databaseUrl
    ? `${backend} at ${withoutCredentials(config.persistence.databaseUrl)}`
    : config.persistence.enabled
      ? `${backend} in ${config.persistence.storagePath}`
      : backend;
  const counts = Object.entries(recovery)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  return `jobd listening on ${url} — backend ${where}; durability ${durability}: ${DURABILITY_TEXT[durability]}; recovery: ${counts}`;
}

/** A connection string fit for a log: the password is never printed. */
function withoutCredentials(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    url.password = "";
    return url.toString();
  } catch {
    return "(unparsable database URL)";
  }
}

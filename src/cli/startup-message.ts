/**
 * The line `jobd serve` logs once it is ready: the URL (the engine's own startup line just before it
 * has already given the recovery counts and handlers), with the backend, data directory, durability
 * and RecoveryResult also as fields for log tools and scripts.
 */
import type { RecoveryResult } from "../queue/job-queue-api.js";
import type { Durability } from "../store/job-store.js";
import type { ServeConfig } from "./serve-config.js";

/** What the line states. */
export interface StartupFacts {
  url: string;
  backend: string;
  dataDir: string | null;
  durability: Durability;
  recovery: RecoveryResult;
}

/** The facts of a started server: the data directory only for the backends that keep one. */
export function startupFacts(
  url: string,
  config: Readonly<ServeConfig>,
  stats: { backend: string; durability: Durability; recovery: RecoveryResult },
): StartupFacts {
  const { backend, durability, recovery } = stats;
  const dataDir = backend === "json" || backend === "sqlite" ? config.persistence.storagePath : null;
  return { url, backend, dataDir, durability, recovery };
}

/** E.g. `jobd listening on http://127.0.0.1:8080 (backend sqlite in /srv/data, durability power-loss)`. */
export function startupMessage(facts: StartupFacts): string {
  const where = facts.dataDir ? `${facts.backend} in ${facts.dataDir}` : facts.backend;
  return `jobd listening on ${facts.url} (backend ${where}, durability ${facts.durability})`;
}

/**
 * The persistent single-node backends the recovery and crash tests run on, opened through `openStore`
 * exactly as a server opens them. A backend this build does not offer yet is skipped with a message.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolvePersistenceConfig, type StorageBackend } from "../../src/config/persistence.js";
import { openStore } from "../../src/store/create-store.js";
import type { JobStore } from "../../src/store/job-store.js";

export const PERSISTENT_BACKENDS = ["json", "sqlite"] as const satisfies readonly StorageBackend[];
export type PersistentBackend = (typeof PERSISTENT_BACKENDS)[number];

const quiet = { warn: () => {} };

/** Opens (or reopens, after a "restart") the store of `backend` in `dir`. */
export function openPersistentStore(backend: PersistentBackend, dir: string): Promise<JobStore> {
  const config = resolvePersistenceConfig({ enabled: true, backend, storagePath: dir, autoSaveInterval: 0 });
  return openStore(config, { logger: quiet });
}

/** Null when `backend` opens (probed in a scratch directory); else why not, for the skip message. */
export async function unavailableReason(backend: PersistentBackend): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), `jobd-probe-${backend}-`));
  try {
    await (await openPersistentStore(backend, dir)).close();
    return null;
  } catch (error) {
    return `${backend} store not available yet: ${(error as Error).message}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

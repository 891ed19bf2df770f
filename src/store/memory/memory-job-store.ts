/**
 * MemoryJobStore: persistence disabled (the spec's default). Jobs live in a JobIndex only, so nothing
 * survives a restart; the server says so in its startup log. Takes no lock.
 */
import { NO_CHANGE_LOG } from "./change-log.js";
import { IndexedJobStore } from "./indexed-job-store.js";
import { JobIndex } from "./job-index.js";

/** The JobStore of `persistence.enabled: false`: fast, and forgets everything at exit. */
export class MemoryJobStore extends IndexedJobStore {
  readonly backend = "memory";
  readonly durability = "none";
  readonly capabilities = { persistent: false, singleNode: true };

  private constructor() {
    super(new JobIndex(), NO_CHANGE_LOG);
  }

  /** Opens an empty store. Async like every other backend's `open`. */
  static async open(): Promise<MemoryJobStore> {
    return new MemoryJobStore();
  }
}

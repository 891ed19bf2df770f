/**
 * What the crash-test child prints, one JSON line per event, each in the stdout pipe before the child
 * goes on: an intent (`W`) before each write reaches the store, and an acknowledgement (`A`) once the
 * store answered. The parent knows every write that may have happened
 * (W) and every write that must have (A).
 */
import type { Job, JsonValue } from "../../../src/domain/job.js";

export type Intent =
  | { w: number; kind: "create"; jobs: Job[] }
  | { w: number; kind: "claim"; workerId: string; type: string; now: number; leaseMs: number; limit: number }
  | {
      w: number;
      kind: "complete";
      id: string;
      workerId: string;
      attempt: number;
      now: number;
      result: JsonValue;
    }
  | { w: number; kind: "delete"; id: string };

/** The store's answer: the jobs it returned, or the deleted id. */
export type Ack = { a: number; jobs: Job[] } | { a: number; deleted: string };

export type ChildLine = Intent | Ack | { ready: true };

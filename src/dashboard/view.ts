/** What every view gives the app, and what the app gives every view. */
import type { Throughput } from "./throughput.js";
import type { JobEventName, JobJson, StatsResponse } from "./wire.js";

/** A mounted view: its element plus optional hooks the app calls while it is shown. */
export interface View {
  /** The document title while it is shown. */
  title: string;
  root: HTMLElement;
  /** A job event from `/api/events`. */
  onJobEvent?(name: JobEventName, job: JobJson): void;
  /** Fresh `GET /api/stats`. */
  onStats?(stats: StatsResponse): void;
  /** Called when the view is replaced. */
  dispose?(): void;
}

/** Shared state the views read. */
export interface AppContext {
  /** The latest stats, or null before the first answer. */
  stats(): StatsResponse | null;
  throughput: Throughput;
}

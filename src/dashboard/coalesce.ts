/**
 * Rate-limits a refresh that many events ask for: one run in flight at a time, runs at least
 * `minGapMs` apart, and any number of calls made meanwhile fold into one more run. So a burst of
 * thousands of job events costs a handful of `/api/stats` requests, and the last state is never missed.
 */
export function coalesce(task: () => Promise<void>, minGapMs: number): () => void {
  let running = false;
  let pending = false;
  let lastStart = Number.NEGATIVE_INFINITY;

  const run = async (): Promise<void> => {
    running = true;
    pending = false;
    lastStart = Date.now();
    await task().catch(() => {}); // The task reports its own errors; a failure must not stop later runs.
    running = false;
    if (pending) schedule();
  };
  const schedule = (): void => {
    setTimeout(() => void run(), Math.max(0, lastStart + minGapMs - Date.now()));
    running = true; // Reserved: calls until the timer fires only mark `pending`.
  };
  return () => {
    if (running) pending = true;
    else schedule();
  };
}

/**
 * When a group commit (SQLite's GroupCommit, the JSON journal) starts writing a group: after the NEXT
 * poll phase of the event loop, not the current turn's check phase. That poll does not block (an
 * immediate is due), so it only adds what has arrived meanwhile: a remote worker sends its `complete`
 * calls and, a moment later, its next lease, and both now share one COMMIT or fdatasync instead of
 * waiting for two in a row. Remote worker drain, 10k no-op jobs at concurrency 10: SQLite FULL
 * 4.15k → 4.62k jobs/s, JSON 3.77k → 4.17k (medians of interleaved runs). An idle server pays one loop
 * turn; nothing is acknowledged before it is on disk, as before.
 */
export function afterNextPoll(run: () => void): void {
  setImmediate(() => setImmediate(run));
}

/**
 * How many jobs to claim from which queues, given the free slots: the server-wide `concurrency`, and the
 * optional per-queue limits (`queueConcurrency`). Without per-queue limits it is one claim of every free
 * slot over all queues. With them, each limited queue is claimed on its own up to its room, and the other
 * queues together; since a claim filter can only include queues, "the other queues" are the queues this
 * server has seen (at start, and on every job queued since).
 */
export interface ClaimSlice {
  /** Absent: any queue. */
  queues?: string[];
  limit: number;
}

export interface ClaimPlanInput {
  free: number;
  limits: ReadonlyMap<string, number>;
  runningByQueue: ReadonlyMap<string, number>;
  knownQueues: ReadonlySet<string>;
}

/**
 * The claims to make now, in order. Each limit is at most `free`; the caller claims them one after the
 * other and caps each by the slots still free, so together they never exceed `free`.
 */
export function planClaims({ free, limits, runningByQueue, knownQueues }: ClaimPlanInput): ClaimSlice[] {
  if (free <= 0) return [];
  if (limits.size === 0) return [{ limit: free }];
  const slices: ClaimSlice[] = [];
  for (const [queue, limit] of limits) {
    const room = Math.min(free, limit - (runningByQueue.get(queue) ?? 0));
    if (room > 0) slices.push({ queues: [queue], limit: room });
  }
  const others = [...knownQueues].filter((queue) => !limits.has(queue));
  if (others.length > 0) slices.push({ queues: others, limit: free });
  return slices;
}

/**
 * Paginated history over a JobIndex: newest first (`createdAt` desc, then `id` desc) with the total.
 */
import type { Job } from "../../domain/job.js";
import type { QueryParams, QueryResult } from "../job-store.js";
import { detached, type JobIndex, matchesFilter, newestFirst } from "./job-index.js";

/** Below this share of all jobs, a status filter's matches are sorted directly instead of walking every job. */
const SORT_MATCHES_BELOW = 0.25;

export function queryJobs(index: JobIndex, params: QueryParams): QueryResult {
  const { limit, offset, ...filter } = params;
  const jobs: Job[] = [];
  let total = 0;
  for (const job of orderedCandidates(index, params)) {
    if (!matchesFilter(job, filter)) continue;
    if (total >= offset && jobs.length < limit) jobs.push(detached(job));
    total++;
  }
  return { jobs, total };
}

/** Jobs newest first that may match: the status filter's jobs when they are few, else every job. */
function orderedCandidates(index: JobIndex, params: QueryParams): Iterable<Job> {
  if (!params.status) return index.newestFirst();
  const candidates = [...new Set(params.status)].reduce((sum, status) => sum + index.countOf(status), 0);
  if (candidates >= index.size * SORT_MATCHES_BELOW) return index.newestFirst();
  return [...index.matching({ status: params.status })].sort(newestFirst);
}

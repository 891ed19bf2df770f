/** Waits for a job to reach a status through the server's event stream (no polling loop). */
import type { JobdClient, RemoteJob } from "../../src/client/index.js";

/** Resolves with the job once the server reports it in one of `statuses`. */
export async function waitForJob(client: JobdClient, id: string, statuses: string[]): Promise<RemoteJob> {
  const controller = new AbortController();
  const events = client.events({ job_id: id }, { signal: controller.signal });
  const first = events.next(); // subscribe before looking, so no change is missed
  await new Promise((resolve) => setTimeout(resolve, 50));
  try {
    const now = await client.get(id);
    if (statuses.includes(now.status)) return now;
    for (let next = await first; !next.done; next = await events.next())
      if (statuses.includes(next.value.job.status)) return next.value.job;
    throw new Error(`event stream ended before job ${id} became ${statuses.join(" or ")}`);
  } finally {
    controller.abort();
  }
}

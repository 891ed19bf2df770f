/** The HTTP client of jobd: `JobdClient`, its errors, and the remote worker behind `work()`. */
export { isJobdClientError, JobdClientError, NonRetryableError, SupersededError } from "./errors.js";
export type { HistoryFilter, JobdClientOptions, JobEvent, RemoteJob } from "./jobd-client.js";
export { JobdClient } from "./jobd-client.js";
export type { WorkContext, WorkHandler, WorkOptions } from "./worker.js";
export { Worker } from "./worker.js";

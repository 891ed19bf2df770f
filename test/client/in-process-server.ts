/** A real jobd (createServer, memory backend unless told otherwise) listening on a free port of 127.0.0.1. */
import { afterAll, beforeAll } from "vitest";
import { createServer } from "../../src/app/create-server.js";
import type { ServerOptions } from "../../src/app/server-options.js";
import { JobdClient } from "../../src/client/index.js";

export type RunningServer = Awaited<ReturnType<typeof createServer>>;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer & { url: string }> {
  const server = await createServer({ logger: false, listen: { port: 0, host: "127.0.0.1" }, ...options });
  if (!server.url) throw new Error("the server did not report its URL");
  return server as RunningServer & { url: string };
}

/**
 * Ports the fetch standard blocks ("bad ports": undici's fetch fails with "bad port" before it
 * connects) that a user may still run jobd on.
 */
const FETCH_BLOCKED_PORTS = [6000, 10080, 6665, 6666, 6667, 6668, 6669, 6697, 5060, 5061, 4190, 6566];

/** A real jobd on the first port of FETCH_BLOCKED_PORTS free here. */
export async function serverOnFetchBlockedPort(): Promise<RunningServer & { url: string }> {
  for (const port of FETCH_BLOCKED_PORTS) {
    const started = await startServer({ listen: { port, host: "127.0.0.1" } }).catch(() => undefined);
    if (started) return started;
  }
  throw new Error(`every port of ${FETCH_BLOCKED_PORTS.join(", ")} is taken here`);
}

/** One server for a whole test file: started before its tests, closed after them; `client` talks to it. */
export function serverForFile(options: ServerOptions = {}): {
  server: RunningServer & { url: string };
  client: JobdClient;
} {
  const shared = {} as { server: RunningServer & { url: string }; client: JobdClient };
  beforeAll(async () => {
    shared.server = await startServer(options);
    shared.client = new JobdClient({ url: shared.server.url });
  });
  afterAll(() => shared.server?.close());
  return shared;
}

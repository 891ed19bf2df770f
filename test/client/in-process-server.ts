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

/** A real jobd (createServer, memory backend unless told otherwise) listening on a free port of 127.0.0.1. */
import { createServer } from "../../src/app/create-server.js";
import type { ServerOptions } from "../../src/app/server-options.js";

export type RunningServer = Awaited<ReturnType<typeof createServer>>;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer & { url: string }> {
  const server = await createServer({ logger: false, listen: { port: 0, host: "127.0.0.1" }, ...options });
  if (!server.url) throw new Error("the server did not report its URL");
  return server as RunningServer & { url: string };
}

/**
 * The server listens at once (DESIGN.md §5), before the store is open: a large JSON store loads, and
 * PostgreSQL is reached, before the HTTP server with its routes can exist. Until that server takes the
 * socket over (`handOver`), this one answers on it: `/healthz` 200, every other path 503 `unavailable`
 * in the API's error shape — after the token check on `/api/*`, as the API guard does.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyServerFactory } from "fastify";
import type { ListenOptions } from "../app/server-options.js";
import { bearerCheck, TOKEN_REQUIRED } from "./api-guard.js";

const STARTING = {
  code: "unavailable",
  message: "jobd is starting up (opening the store; recovery is not done yet)",
};
const UNAUTHORIZED = { code: "unauthorized", message: TOKEN_REQUIRED };

/** A listening socket answering "starting up" until jobd's HTTP server takes it over. */
export class EarlyListener {
  private fastifyHandler: RequestListener | undefined;

  private constructor(
    readonly server: Server,
    private readonly answerEarly: RequestListener,
  ) {}

  /** Listens on `port` and `host` (rejects as `listen` does: address in use, no such host). */
  static async open({ port, host = "127.0.0.1" }: ListenOptions, apiToken?: string): Promise<EarlyListener> {
    const authorized = bearerCheck(apiToken);
    const answerEarly: RequestListener = (request, response) => {
      const [status, body] = earlyAnswer(request, authorized);
      response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify(body));
    };
    const server = createServer(answerEarly);
    // Fastify's own server settings, which it applies only to a server it creates: idle keep-alive
    // connections live 72 s (longer than the usual 60 s of load balancers), no request deadline.
    server.keepAliveTimeout = 72_000;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return new EarlyListener(server, answerEarly);
  }

  /** The address, e.g. `http://127.0.0.1:8080` (the port the system chose for port 0). */
  get url(): string {
    const { address, family, port } = this.server.address() as AddressInfo;
    return `http://${family === "IPv6" ? `[${address}]` : address}:${port}`;
  }

  /** For Fastify's `serverFactory`: hands it this server and keeps its request handler for `handOver`. */
  readonly serverFactory: FastifyServerFactory = (handler) => {
    this.fastifyHandler = handler as RequestListener;
    return this.server;
  };

  /** From now on Fastify (built with `serverFactory`, and ready) answers every request. */
  handOver(): void {
    if (!this.fastifyHandler) throw new Error("no HTTP server was built on this listener");
    this.server.off("request", this.answerEarly);
    this.server.on("request", this.fastifyHandler);
  }

  /** Stops listening; resolves once the socket is closed (connections still open are dropped). */
  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function earlyAnswer(request: IncomingMessage, authorized: (header?: string) => boolean): [number, object] {
  const path = (request.url ?? "/").split("?")[0];
  if (path === "/healthz") return [200, { status: "ok" }];
  if (path?.startsWith("/api/") && !authorized(request.headers.authorization))
    return [401, { error: UNAUTHORIZED }];
  return [503, { error: STARTING }];
}

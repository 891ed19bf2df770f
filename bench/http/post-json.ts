/**
 * A keep-alive JSON POST for the worker loop: plain `node:http` with one agent, cheaper on the shared
 * cores than `fetch`, so the server, not the client, is what the figure measures.
 */
import http from "node:http";

/** Keep-alive connections shared by every call (one per request in flight). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs `body` as JSON to `url`; resolves with the parsed answer, rejects on a non-2xx status. */
export function postJson<T>(url: string, body: unknown): Promise<T> {
  const data = JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(JSON.parse(text) as T);
          else reject(new Error(`POST ${url}: ${status} ${text.slice(0, 200)}`));
        });
      },
    );
    request.on("error", reject);
    request.end(data);
  });
}

/** Closes the idle keep-alive sockets (so the process can exit). */
export function closeConnections(): void {
  agent.destroy();
}

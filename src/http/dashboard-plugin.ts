/**
 * Serves the dashboard built into `dist/dashboard` (by scripts/build-dashboard.mjs) at `GET /`.
 * The files are read once, at registration, and answered from memory; each is compressed on the first
 * request that accepts brotli or gzip (at registration, brotli at quality 11 took ~40 ms of the start).
 * Assets have content-hashed names and are cached for a year (`immutable`); index.html is `no-cache`,
 * revalidated by ETag, so a new build is picked up on the next load. The files need no token: the page
 * asks for it and sends it on its `/api` calls. The CSP allows nothing but this origin.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";

/** Where `npm run build` puts the dashboard (the same path from src/http and dist/http). */
export const DASHBOARD_DIR = fileURLToPath(new URL("../../dist/dashboard/", import.meta.url));

/** Options of the dashboard plugin. */
export interface DashboardPluginOptions {
  /** The built dashboard; default DASHBOARD_DIR. */
  dir?: string;
}

type Compression = "br" | "gzip";
type Encoding = Compression | "identity";

interface Body {
  body: Buffer;
  etag: string;
}

interface Asset {
  type: string;
  cacheControl: string;
  headers: Record<string, string>;
  identity: Body;
  /** Text is worth compressing; images are compressed already. */
  compressible: boolean;
  /** Made on first use; null when compressing did not make it smaller. */
  compressed: Map<Compression, Body | null>;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};
const IMMUTABLE = "public, max-age=31536000, immutable";
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** Registers `GET /` and `GET /assets/<hashed name>`; answers `/` with 503 and a hint when not built. */
export const dashboardPlugin: FastifyPluginAsync<DashboardPluginOptions> = async (app, options) => {
  const dir = options.dir ?? DASHBOARD_DIR;
  const index = path.join(dir, "index.html");
  if (!existsSync(index)) {
    app.log.warn({ dir }, "dashboard not built; run `npm run build`");
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send(`The dashboard is not built (${dir}): run npm run build.`),
    );
    return;
  }
  const routes: [string, Asset][] = [["/", loadAsset(index, "no-cache", PAGE_HEADERS)]];
  const assetsDir = path.join(dir, "assets");
  for (const name of existsSync(assetsDir) ? readdirSync(assetsDir) : []) {
    const asset = loadAssetIfPresent(path.join(assetsDir, name));
    if (asset && !name.endsWith(".tmp")) routes.push([`/assets/${name}`, asset]);
  }
  for (const [url, asset] of routes) {
    app.get(url, { schema: { hide: true } }, (request, reply) => send(request, reply, asset)); // Not in OpenAPI.
  }
};

export default dashboardPlugin;

/** An asset, or null when a concurrent rebuild removed it between listing and reading (stale anyway). */
function loadAssetIfPresent(file: string): Asset | null {
  try {
    return loadAsset(file, IMMUTABLE, {});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function loadAsset(file: string, cacheControl: string, headers: Record<string, string>): Asset {
  const body = readFileSync(file);
  const type = CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";
  const hash = createHash("sha256").update(body).digest("base64url").slice(0, 22);
  const compressible = type.startsWith("text/") || type === "image/svg+xml";
  return {
    type,
    cacheControl,
    headers,
    identity: { body, etag: `"${hash}"` },
    compressible,
    compressed: new Map(),
  };
}

/** The asset compressed this way (made once), or null when that is not smaller. */
function compressed(asset: Asset, encoding: Compression): Body | null {
  if (!asset.compressible) return null;
  let made = asset.compressed.get(encoding);
  if (made === undefined) {
    const { body, etag } = asset.identity;
    const smaller =
      encoding === "br"
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
        : gzipSync(body, { level: 9 });
    made = smaller.length < body.length ? { body: smaller, etag: `${etag.slice(0, -1)}-${encoding}"` } : null;
    asset.compressed.set(encoding, made);
  }
  return made;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset) {
  const [encoding, chosen] = chooseBody(request.headers["accept-encoding"], asset);
  reply
    .headers(asset.headers)
    .header("cache-control", asset.cacheControl)
    .header("etag", chosen.etag)
    .header("vary", "accept-encoding")
    .header("x-content-type-options", "nosniff");
  if (etagMatches(request.headers["if-none-match"], chosen.etag)) return reply.code(304).send();
  if (encoding !== "identity") reply.header("content-encoding", encoding);
  return reply.type(asset.type).send(chosen.body);
}

/** The best encoding the client accepts (q > 0) that makes this asset smaller, and its body. */
function chooseBody(header: string | undefined, asset: Asset): [Encoding, Body] {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    if (q === undefined || Number(q) > 0) accepted.add(name.trim());
  }
  for (const encoding of ["br", "gzip"] as const) {
    const body = accepted.has(encoding) ? compressed(asset, encoding) : null;
    if (body) return [encoding, body];
  }
  return ["identity", asset.identity];
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const value = tag.trim().replace(/^W\//, "");
    return value === "*" || value === etag;
  });
}

/**
 * `--tasks DIR`: every `DIR/<type>.js` or `DIR/<type>.mjs` is the handler of jobs of `<type>`. A file
 * exports `async (payload, ctx) => result` as its ESM default export or as CommonJS `module.exports`.
 */
import { readdir } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { invalid } from "../domain/errors.js";
import type { HandlerMap, JobHandler } from "./handlers.js";

const TASK_EXTENSIONS = new Set([".js", ".mjs"]);

/** The function a task module exports, whether it was written as ESM or CommonJS. */
function exportedFunction(module: Record<string, unknown>): JobHandler | null {
  const candidate = module.default ?? module;
  if (typeof candidate === "function") return candidate as JobHandler;
  // CommonJS `exports.default = fn` (what TypeScript emits) comes through import() one level deeper.
  const nested = (candidate as Record<string, unknown> | null)?.default;
  return typeof nested === "function" ? (nested as JobHandler) : null;
}

/** Imports one task file; a failure (a syntax error, a throw at load, a missing import) names the file. */
async function importTaskFile(file: string): Promise<Record<string, unknown>> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    // Node's message alone names no file for a syntax error ("Unexpected end of input").
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw invalid(`cannot load the task file ${file}: ${message}`);
  }
}

/** Imports every task file in `dir`; a file that fails to load or exports no function: a message naming it. */
export async function loadTasks(dir: string): Promise<HandlerMap> {
  const root = resolve(dir);
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw invalid(`cannot read the tasks directory ${root}: ${error.code ?? error.message}`);
  });
  const handlers: HandlerMap = {};
  const files = entries.filter((e) => e.isFile() && TASK_EXTENSIONS.has(extname(e.name)));
  for (const entry of files.sort((a, b) => a.name.localeCompare(b.name))) {
    const type = entry.name.slice(0, -extname(entry.name).length);
    const file = join(root, entry.name);
    if (handlers[type]) throw invalid(`two task files for job type "${type}" in ${root}`);
    const handler = exportedFunction(await importTaskFile(file));
    if (!handler)
      throw invalid(
        `${file} exports no function: use "export default async (payload, ctx) => result" or "module.exports = async (payload, ctx) => result"`,
      );
    handlers[type] = handler;
  }
  return handlers;
}

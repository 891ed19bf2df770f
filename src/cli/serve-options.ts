/**
 * The flags of `jobd serve` (DESIGN.md §6), each with its help text, default and environment variable
 * (`JOBD_` + the flag in capitals, `-` as `_`). Commander merges default < env < command line; the
 * values are then validated by `resolveServeConfig`.
 */
import { type Command, Option } from "commander";
import { STORAGE_BACKENDS } from "../config/persistence.js";
import { type GivenOf, type OriginOf, type RawServeOptions, SERVE_DEFAULTS } from "./serve-config.js";

/** `--data-dir` → `JOBD_DATA_DIR`. */
export const envVarOf = (longFlag: string) =>
  `JOBD_${longFlag.replace(/^--/, "").toUpperCase().replace(/-/g, "_")}`;

function flag(flags: string, description: string, defaultValue?: number | string): Option {
  const option = new Option(flags, description);
  option.env(envVarOf(option.long ?? flags));
  if (defaultValue !== undefined) option.default(defaultValue);
  return option;
}

/** Every `jobd serve` option, in the order of DESIGN.md §6. */
export function serveOptions(): Option[] {
  const d = SERVE_DEFAULTS;
  return [
    flag("--port <n>", "HTTP port to listen on; 0 picks a free one", d.port),
    flag("--host <address>", "address to listen on; 0.0.0.0 for every interface", d.host),
    flag(
      "--persist",
      "keep jobs on disk: the json backend unless --backend names another (JOBD_PERSIST=1 or 0)",
    ),
    flag(
      "--data-dir <path>",
      "where jobs.db / jobs.json + jobs.journal and jobd.lock live (created 0700)",
      d.dataDir,
    ),
    flag(
      "--backend <name>",
      "where jobs are kept; json, sqlite and postgres imply --persist (default: json with --persist, else memory)",
    ).choices(STORAGE_BACKENDS),
    flag("--database-url <url>", "PostgreSQL connection string, needed by --backend postgres"),
    flag(
      "--retention-days <n>",
      "prune finished jobs older than this, at startup and hourly (0 = all)",
      d.retentionDays,
    ),
    flag("--auto-save-interval <s>", "seconds between snapshots of the json backend", d.autoSaveInterval),
    flag(
      "--retry-failed-on-startup <n>",
      "at startup, queue again failed jobs with fewer than n attempts (default: off)",
    ),
    flag(
      "--sqlite-sync <mode>",
      "full survives a power cut, normal only a killed process",
      d.sqliteSync,
    ).choices(["full", "normal"]),
    flag("--max-payload-bytes <n>", "largest accepted job payload, serialized", d.maxPayloadBytes),
    flag(
      "--tasks <dir>",
      "in-process handlers: <dir>/<type>.js or .mjs exports async (payload, ctx) => result",
    ),
    flag("--concurrency <n>", "in-process handlers running at once", d.concurrency),
    flag(
      "--shutdown-timeout <s>",
      "seconds running handlers get to finish on SIGINT/SIGTERM",
      d.shutdownTimeout,
    ),
    flag("--api-token <token>", "require 'Authorization: Bearer <token>' on every /api/* request"),
  ];
}

/**
 * The parsed values, where each came from, and whether it was given (command line or env). Commander treats a set boolean env var as true whatever
 * it says, so `JOBD_PERSIST`'s own text is passed on (1/0, true/false) for the resolver to read.
 */
export function rawServeOptions(
  command: Command,
  env: NodeJS.ProcessEnv,
): { raw: RawServeOptions; origin: OriginOf; given: GivenOf } {
  const raw: RawServeOptions = { ...command.opts() };
  const envOf = (attribute: string) => command.options.find((o) => o.attributeName() === attribute)?.envVar;
  const origin: OriginOf = (attribute) => {
    const option = command.options.find((o) => o.attributeName() === attribute);
    const fromEnv = command.getOptionValueSource(attribute) === "env";
    return fromEnv ? (option?.envVar ?? attribute) : (option?.long ?? attribute);
  };
  const persistEnv = envOf("persist");
  if (command.getOptionValueSource("persist") === "env" && persistEnv) raw.persist = env[persistEnv] ?? "";
  const given: GivenOf = (attribute) => {
    const source = command.getOptionValueSource(attribute);
    return source === "cli" || source === "env";
  };
  return { raw, origin, given };
}

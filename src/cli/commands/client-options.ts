/** `--url` and `--token`, shared by every operator command, and the JobdClient they describe. */
import { type Command, Option } from "commander";
import { JobdClient } from "../../client/index.js";
import { UsageError } from "../usage-error.js";

export const DEFAULT_SERVER_URL = "http://127.0.0.1:8080";

/** Adds `--url` (env JOBD_URL) and `--token` (env JOBD_API_TOKEN) to an operator command. */
export function withServerOptions(command: Command): Command {
  return command
    .addOption(new Option("--url <url>", "the jobd server").env("JOBD_URL").default(DEFAULT_SERVER_URL))
    .addOption(new Option("--token <token>", "the server's --api-token").env("JOBD_API_TOKEN"));
}

/**
 * The client for a command's `--url`/`--token`; a `--url` that is not an http(s) URL is a UsageError.
 * No `fetch` is given, so the client sends its calls over node:http, which reaches a server on any port
 * (fetch refuses the "bad ports" of the fetch standard, e.g. 6000 and 10080, where `jobd serve` runs fine),
 * and with the client's default `timeoutMs` (10 s), so a server that never answers does not hang the command.
 */
export function clientFor(command: Command): JobdClient {
  const { url, token } = command.opts<{ url: string; token?: string }>();
  const label = command.getOptionValueSource("url") === "env" ? "JOBD_URL" : "--url";
  return new JobdClient({ url: serverUrl(url, label), ...(token && { token }) });
}

/** `value` when it is an http:// or https:// URL; anything else would only fail later, as "unavailable". */
function serverUrl(value: string, label: string): string {
  const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
  if (protocol === "http:" || protocol === "https:") return value;
  throw new UsageError(
    `${label} must be an http:// or https:// URL, e.g. ${DEFAULT_SERVER_URL} (got "${value}")`,
  );
}

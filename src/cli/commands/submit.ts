/** `jobd submit <type>`: creates one job and prints it. */
import type { Command } from "commander";
import type { CreateJobBody } from "../../schemas/job.js";
import { integerValue } from "../integer-value.js";
import type { CliIo } from "../io.js";
import { printJson } from "../output.js";
import { UsageError } from "../usage-error.js";
import { clientFor, withServerOptions } from "./client-options.js";

interface SubmitOptions {
  payload?: string;
  queue?: string;
  priority?: string;
  delayMs?: string;
  runAt?: string;
  maxAttempts?: string;
  timeoutMs?: string;
  idempotencyKey?: string;
}

/** Adds `submit` to the program. */
export function registerSubmit(program: Command, io: CliIo): void {
  const command = withServerOptions(
    program
      .command("submit")
      .description("create a job and print it as JSON")
      .argument("<type>", "the job's type, e.g. email.send")
      .option("--payload <json>", "the job's payload, as JSON (default: null)")
      .option("--queue <name>", "queue (default: default)")
      .option("--priority <n>", "-1000…1000, higher runs first (default: 0)")
      .option("--delay-ms <ms>", "run no earlier than this many ms from now")
      .option("--run-at <timestamp>", "run no earlier than this RFC 3339 time")
      .option("--max-attempts <n>", "1…1000 (default: 3)")
      .option("--timeout-ms <ms>", "a run longer than this fails")
      .option("--idempotency-key <key>", "a second submit with this key returns the first job"),
  );
  command.action(async (type: string, options: SubmitOptions) => {
    const job = await clientFor(command).create(createBody(type, options));
    printJson(io.stdout, job);
  });
}

/** The create body from the command line; numbers and JSON are checked here, ranges by the server. */
export function createBody(type: string, options: SubmitOptions): CreateJobBody {
  const body: CreateJobBody = { type };
  if (options.payload !== undefined) body.payload = parseJson(options.payload);
  if (options.queue !== undefined) body.queue = options.queue;
  if (options.priority !== undefined) body.priority = integerValue(options.priority, "--priority");
  if (options.delayMs !== undefined) body.delay_ms = integerValue(options.delayMs, "--delay-ms");
  if (options.runAt !== undefined) body.run_at = options.runAt;
  if (options.maxAttempts !== undefined)
    body.max_attempts = integerValue(options.maxAttempts, "--max-attempts");
  if (options.timeoutMs !== undefined) body.timeout_ms = integerValue(options.timeoutMs, "--timeout-ms");
  if (options.idempotencyKey !== undefined) body.idempotency_key = options.idempotencyKey;
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--payload must be JSON (${(error as Error).message}); quote it: --payload '{"to":"a@b.c"}'`,
    );
  }
}

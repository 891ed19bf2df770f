/**
 * The `jobd` command line: argument parsing and exit codes only; each subcommand lives in ./commands/.
 * Exit codes: 0 success, 1 a failure at run time (a server's error answer, a data directory in use),
 * 2 a usage error (unknown flag, bad value — also one only the server checks: its 400 invalid_request).
 * Messages go to stderr without stack traces.
 */
import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { isJobdClientError } from "../client/index.js";
import { registerJobActions } from "./commands/job-actions.js";
import { registerList } from "./commands/list.js";
import { registerServe, serve } from "./commands/serve.js";
import { registerSubmit } from "./commands/submit.js";
import { type CliIo, exitProcess, resolveIo } from "./io.js";
import { USAGE_EXIT_CODE, UsageError } from "./usage-error.js";

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

/**
 * `jobd` as a process (bin/jobd.js): runs `main`, then ends the process with its exit code once stdout
 * and stderr are flushed. `jobd serve` has closed its store by then; whatever is still scheduled (a
 * handler that ignored its AbortSignal after the shutdown timeout) must not keep the process alive.
 */
export async function run(argv: readonly string[]): Promise<never> {
  return exitProcess(await main(argv));
}

/** Runs `jobd <argv…>` and returns the exit code; `io` replaces the process's streams (tests). */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const resolved = resolveIo(io, serve);
  const program = buildProgram(resolved);
  let running: Command = program;
  program.hook("preAction", (_program, command) => {
    running = command;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    return reportFailure(error, running, resolved);
  }
}

/** The whole command tree, writing to `io` and throwing instead of exiting. */
export function buildProgram(io: CliIo): Command {
  const program = new Command("jobd")
    .description(
      "A durable background-job server: submit jobs over HTTP, run them, keep them across crashes.",
    )
    .version(version, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .addHelpText("after", PROGRAM_HELP_FOOTER);
  registerServe(program, io);
  registerSubmit(program, io);
  registerList(program, io);
  registerJobActions(program, io);
  // Commander's own errors (unknown flag or command, missing argument) on one line as well.
  for (const command of [program, ...program.commands])
    command.configureOutput({ outputError: (message) => io.stderr.write(usageLine(message, command)) });
  return program;
}

/**
 * A usage error as one line (docs/cli.md: every failure prints one line): commander's `error: ` left
 * out, its `(Did you mean …?)` joined on, and which help to read, e.g.
 * `jobd: unknown option '--prot' (Did you mean --port?); see jobd serve --help`.
 */
function usageLine(message: string, command: Command): string {
  const text = message
    .trim()
    .replace(/^error: /, "")
    .replace(/\s*\n\s*/g, " ");
  const path = command.parent ? `jobd ${command.name()}` : "jobd";
  return `jobd: ${text}; see ${path} --help\n`;
}

function reportFailure(error: unknown, command: Command, io: CliIo): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE; // commander printed it
  if (error instanceof UsageError) {
    io.stderr.write(usageLine(error.message, command));
    return USAGE_EXIT_CODE;
  }
  if (isJobdClientError(error)) {
    io.stderr.write(`jobd: ${error.code}: ${error.message}\n`);
    return refusedValue(error) ? USAGE_EXIT_CODE : 1;
  }
  io.stderr.write(`jobd: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

/**
 * A 400 invalid_request: the server refused a value the user gave (`--priority 1001`, `get nope`), a
 * usage error like those the CLI catches itself. Other answers (not_found, conflict, unauthorized,
 * unavailable…) are failures at run time.
 */
function refusedValue(error: { code: string; httpStatus: number }): boolean {
  return error.code === "invalid_request" && error.httpStatus === 400;
}

const PROGRAM_HELP_FOOTER = `
Start a server that keeps its jobs in ./data:
  jobd serve --persist --backend sqlite --data-dir ./data

Talk to a running server (--url, default http://127.0.0.1:8080 or JOBD_URL; --token or JOBD_API_TOKEN):
  jobd submit email.send --payload '{"to":"a@b.c"}'
  jobd list --status failed
  jobd retry <id>

Each command has its own help: jobd serve --help, jobd submit --help. More: docs/cli.md`;

/** `jobd list`: the job history, newest first, as a table (or JSON with --json). */
import type { Command } from "commander";
import type { HistoryFilter } from "../../client/index.js";
import { integerValue } from "../integer-value.js";
import type { CliIo } from "../io.js";
import { formatJobTable, printJson } from "../output.js";
import { clientFor, withServerOptions } from "./client-options.js";

interface ListOptions {
  status?: string;
  type?: string;
  queue?: string;
  limit?: string;
  offset?: string;
  json?: boolean;
}

/** Adds `list` to the program. */
export function registerList(program: Command, io: CliIo): void {
  const command = withServerOptions(
    program
      .command("list")
      .description("list jobs, newest first")
      .option(
        "--status <list>",
        "only these statuses, comma-separated (queued,processing,completed,failed,cancelled)",
      )
      .option("--type <list>", "only these types, comma-separated")
      .option("--queue <list>", "only these queues, comma-separated")
      .option("--limit <n>", "at most this many, 1…1000 (default: 50)")
      .option("--offset <n>", "skip this many (default: 0)")
      .option("--json", "print the server's answer as JSON instead of a table"),
  );
  command.action(async (options: ListOptions) => {
    const page = await clientFor(command).history(historyFilter(options));
    if (options.json) return printJson(io.stdout, page);
    const shown = page.jobs.length === 0 ? "no jobs" : `${page.offset + 1}–${page.offset + page.jobs.length}`;
    io.stdout.write(`${formatJobTable(page.jobs)}\n${shown} of ${page.total}\n`);
  });
}

function historyFilter(options: ListOptions): HistoryFilter {
  const filter: HistoryFilter = {};
  const list = (text: string) => text.split(",").map((item) => item.trim());
  if (options.status) filter.status = list(options.status) as HistoryFilter["status"];
  if (options.type) filter.type = list(options.type);
  if (options.queue) filter.queue = list(options.queue);
  if (options.limit) filter.limit = integerValue(options.limit, "--limit");
  if (options.offset) filter.offset = integerValue(options.offset, "--offset");
  return filter;
}

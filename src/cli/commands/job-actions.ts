/** The one-call operator commands: `get`, `retry`, `retry-failed`, `cancel` and `stats`, each printing JSON. */
import type { Command } from "commander";
import type { JobdClient } from "../../client/index.js";
import type { CliIo } from "../io.js";
import { printJson } from "../output.js";
import { clientFor, withServerOptions } from "./client-options.js";

type JobAction = (client: JobdClient, id: string) => Promise<unknown>;

const JOB_ACTIONS: [name: string, description: string, action: JobAction][] = [
  ["get", "print one job", (client, id) => client.get(id)],
  ["retry", "queue a failed or cancelled job again", (client, id) => client.retry(id)],
  ["cancel", "cancel a queued or processing job", (client, id) => client.cancel(id)],
];

/** Adds `get`, `retry`, `cancel`, `retry-failed` and `stats` to the program. */
export function registerJobActions(program: Command, io: CliIo): void {
  for (const [name, description, action] of JOB_ACTIONS) {
    const command = withServerOptions(
      program.command(name).description(description).argument("<id>", "the job's id"),
    );
    command.action(async (id: string) => printJson(io.stdout, await action(clientFor(command), id)));
  }
  const retryFailed = withServerOptions(
    program
      .command("retry-failed")
      .description("queue every failed job again (or those of one type / queue)")
      .option("--type <type>", "only failed jobs of this type")
      .option("--queue <queue>", "only failed jobs of this queue"),
  );
  retryFailed.action(async ({ type, queue }: { type?: string; queue?: string }) =>
    printJson(
      io.stdout,
      await clientFor(retryFailed).retryFailed({ ...(type && { type }), ...(queue && { queue }) }),
    ),
  );
  const stats = withServerOptions(
    program.command("stats").description("counts per status and queue, backend, durability, last recovery"),
  );
  stats.action(async () => printJson(io.stdout, await clientFor(stats).stats()));
}

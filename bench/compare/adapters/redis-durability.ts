/**
 * Switches Redis to BullMQ's documented production persistence for the bench (AOF on, fsync every
 * second) and gives back an undo that restores what the server had.
 */
import { Redis } from "ioredis";

const AOF_SETTINGS = { appendonly: "yes", appendfsync: "everysec" } as const;

async function configGet(redis: Redis, key: string): Promise<string> {
  const reply = (await redis.config("GET", key)) as string[];
  return reply[1] ?? "";
}

/** Waits for the AOF rewrite that `appendonly yes` starts, so it does not run during a measurement. */
async function waitForAofRewrite(redis: Redis): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const info = await redis.info("persistence");
    if (/aof_rewrite_in_progress:0/.test(info) && !/aof_rewrite_scheduled:1/.test(info)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Applies AOF everysec; returns the undo and a sentence for the report. */
export async function enableAofEverySec(url: string): Promise<{ undo: () => Promise<void>; note: string }> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const before = {
    appendonly: await configGet(redis, "appendonly"),
    appendfsync: await configGet(redis, "appendfsync"),
  };
  await redis.config("SET", "appendfsync", AOF_SETTINGS.appendfsync);
  await redis.config("SET", "appendonly", AOF_SETTINGS.appendonly);
  await waitForAofRewrite(redis);
  await redis.quit();
  const note =
    `Redis was switched to appendonly=yes, appendfsync=everysec for the run (was appendonly=` +
    `${before.appendonly}, appendfsync=${before.appendfsync}) and restored afterwards.`;
  const undo = async () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    await client.config("SET", "appendonly", before.appendonly);
    await client.config("SET", "appendfsync", before.appendfsync);
    await client.quit();
  };
  return { undo, note };
}

/** `--tasks DIR`: ESM and CommonJS task files become handlers named after the file. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadTasks } from "../../src/queue/load-tasks.js";
import { tempDir } from "../support/temp-dir.js";
import { settled, startEngine } from "./engine-fixture.js";

describe("loadTasks", () => {
  test("loads ESM default exports and CommonJS module.exports; ignores other files", async () => {
    const dir = tempDir("tasks");
    writeFileSync(join(dir, "email.send.mjs"), "export default async (payload) => ({ sent: payload.to });\n");
    writeFileSync(join(dir, "resize.js"), "module.exports = async (payload, ctx) => ctx.job.type;\n");
    writeFileSync(join(dir, "notes.txt"), "not a task");
    const handlers = await loadTasks(dir);
    expect(Object.keys(handlers).sort()).toEqual(["email.send", "resize"]);

    const { queue } = await startEngine({ handlers });
    const { job: email } = await queue.enqueue({ type: "email.send", payload: { to: "a@b.c" } });
    const { job: resize } = await queue.enqueue({ type: "resize" });
    expect((await settled(queue, email.id)).result).toEqual({ sent: "a@b.c" });
    expect((await settled(queue, resize.id)).result).toBe("resize");
  });

  test("a file that exports no function is a clear error naming the file", async () => {
    const dir = tempDir("tasks");
    writeFileSync(join(dir, "broken.mjs"), "export const notDefault = 1;\n");
    await expect(loadTasks(dir)).rejects.toThrow(/broken\.mjs exports no function/);
  });

  test.each([
    // vitest's module loader words a syntax error its own way; test/e2e checks Node's message
    ["a syntax error", "export default async (p) => {\n", /bad\.mjs: \w*Error: /],
    ["a throw at load", "throw new Error('no config');\n", /bad\.mjs: Error: no config/],
    ["a missing import", "import 'jobd-no-such-package';\n", /bad\.mjs: Error: Cannot find package/],
  ])("a file that fails to load (%s) is a clear error naming the file", async (_name, source, message) => {
    const dir = tempDir("tasks");
    writeFileSync(join(dir, "bad.mjs"), source);
    const error = await loadTasks(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_request" });
    expect((error as Error).message).toContain(`cannot load the task file ${join(dir, "bad.mjs")}: `);
    expect((error as Error).message).toMatch(message);
  });

  test("a missing directory is a clear error", async () => {
    await expect(loadTasks("/nonexistent/jobd-tasks")).rejects.toThrow(/cannot read the tasks directory/);
  });
});

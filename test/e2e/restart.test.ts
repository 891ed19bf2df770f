/**
 * The real `jobd serve` (node bin/jobd.js, built dist/) on each persistent store: jobs submitted over
 * HTTP survive a SIGKILL, the restart's RecoveryResult in /api/stats counts them exactly, and a remote
 * worker's lease survives the restart so it can still complete its job.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { JobdClient } from "../../src/client/index.js";
import { e2eBackends } from "./backends.js";
import { freePort, JobdProcess } from "./jobd-process.js";

for (const { name: backend, skipped, freshStore } of await e2eBackends()) {
  describe.skipIf(skipped !== null)(
    `jobd serve --backend ${backend}${skipped ? ` (skipped: ${skipped})` : ""}`,
    () => {
      it("keeps jobs across a SIGKILL; the restart reports what it recovered", async () => {
        const { flags, dataDir } = await freshStore("restart");
        const first = await JobdProcess.serve(flags);
        expect(first.startup).toMatchObject({ backend, dataDir, durability: "power-loss" });
        expect(first.startup.recovery).toEqual({
          recovered: 0,
          requeued: 0,
          failed: 0,
          retried: 0,
          pruned: 0,
        });
        const client = new JobdClient({ url: first.startup.url });

        const due = await client.create({ type: "e2e.due", payload: { n: 1 } });
        const delayed = await client.create({ type: "e2e.later", delay_ms: 3_600_000 });
        await client.create({ type: "e2e.done" });
        const [done] = await client.lease({ worker_id: "w-done", types: ["e2e.done"] });
        await client.complete(done?.id ?? "", { worker_id: "w-done", attempt: 1, result: { ok: 1 } });
        await client.create({ type: "e2e.leased" });
        const [leased] = await client.lease({ worker_id: "w-gone", types: ["e2e.leased"], lease_ms: 1_000 });

        expect(await first.kill("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
        await sleep(Math.max(0, Date.parse(leased?.lease_expires_at ?? "") - Date.now()) + 50); // let the lease run out

        const second = await JobdProcess.serve(flags);
        // due and delayed were queued; the expired lease is a failure with attempts left: queued again
        expect(second.startup.recovery).toEqual({
          recovered: 2,
          requeued: 1,
          failed: 0,
          retried: 0,
          pruned: 0,
        });
        const after = new JobdClient({ url: second.startup.url });
        expect((await after.stats()).recovery).toEqual(second.startup.recovery);
        expect(await after.get(due.id)).toMatchObject({ status: "queued", payload: { n: 1 }, attempts: 0 });
        expect(await after.get(delayed.id)).toMatchObject({ status: "queued", run_at: delayed.run_at });
        expect(await after.get(done?.id ?? "")).toMatchObject({ status: "completed", result: { ok: 1 } });
        expect(await after.get(leased?.id ?? "")).toMatchObject({
          status: "queued",
          attempts: 1,
          error: "lease expired",
          worker_id: null,
        });
        const history = await after.history();
        expect(history.total).toBe(4);
        expect(history.jobs.map((job) => job.type)).toEqual([
          "e2e.leased",
          "e2e.done",
          "e2e.later",
          "e2e.due",
        ]);
        expect(await second.kill("SIGTERM")).toEqual({ code: 0, signal: null });
      });

      it("a remote worker's lease survives the restart: it completes its job afterwards", async () => {
        const store = await freshStore("worker");
        const flags = [...store.flags, "--port", String(await freePort())];
        const first = await JobdProcess.serve(flags);
        const client = new JobdClient({ url: first.startup.url });
        let started!: () => void;
        const running = new Promise<void>((resolve) => (started = resolve));
        let finish!: () => void;
        const gate = new Promise<void>((resolve) => (finish = resolve));
        const worker = client.work(
          "e2e.remote",
          async (payload) => {
            started();
            await gate;
            return { echoed: payload };
          },
          { leaseMs: 15_000, waitMs: 1_000, onError: () => {} },
        );
        const job = await client.create({ type: "e2e.remote", payload: "hello" });
        await running;
        await first.kill("SIGKILL");

        const second = await JobdProcess.serve(flags);
        expect(second.startup.url).toBe(first.startup.url);
        // a valid remote lease is left alone by recovery: not requeued, not counted
        expect(second.startup.recovery).toEqual({
          recovered: 0,
          requeued: 0,
          failed: 0,
          retried: 0,
          pruned: 0,
        });
        expect(await client.get(job.id)).toMatchObject({ status: "processing", worker_id: worker.workerId });
        finish();
        await worker.stop();
        expect(await client.get(job.id)).toMatchObject({
          status: "completed",
          attempts: 1,
          result: { echoed: "hello" },
        });
        expect(await second.kill("SIGTERM")).toEqual({ code: 0, signal: null });
      });
    },
  );
}

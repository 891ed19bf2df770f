/** Conformance: paginated history — newest first, filters on status/type/queue lists, total. */
import { describe, expect, test } from "vitest";
import type { Job, JobStatus } from "../../../src/domain/job.js";
import { cancel } from "../../../src/domain/transitions.js";
import { makeJob, makeJobs, SECOND, T0 } from "../../support/job-factory.js";
import type { StoreContext } from "./context.js";

const STATUSES: JobStatus[] = ["queued", "processing", "completed", "failed", "cancelled"];
const ids = (jobs: Job[]) => jobs.map((j) => j.id);

export function queryTests(ctx: StoreContext): void {
  /** 30 jobs over 10 creation seconds (three per second, so ids break ties), of every status. */
  async function seed(): Promise<Job[]> {
    const jobs = makeJobs(30, (i) => ({
      createdAt: T0 + (i % 10) * SECOND,
      status: STATUSES[i % 5],
      type: i % 2 === 0 ? "even" : "odd",
      queue: `q${i % 3}`,
    }));
    for (const job of jobs) await ctx.store.save(job);
    return jobs.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  describe("query", () => {
    test("newest first (createdAt desc, then id desc), with the total", async () => {
      const newest = await seed();
      const page = await ctx.store.query({ limit: 100, offset: 0 });
      expect(page).toEqual({ jobs: newest, total: 30 });
    });

    test("limit and offset page through the same order; past the end is empty", async () => {
      const newest = await seed();
      const pages: Job[] = [];
      for (let offset = 0; offset < 30; offset += 7) {
        const page = await ctx.store.query({ limit: 7, offset });
        expect(page.total).toBe(30);
        pages.push(...page.jobs);
      }
      expect(ids(pages)).toEqual(ids(newest));
      expect(await ctx.store.query({ limit: 5, offset: 30 })).toEqual({ jobs: [], total: 30 });
    });

    test("status, type and queue lists filter, and total counts every match", async () => {
      const newest = await seed();
      const filter = { status: ["failed", "queued"] as JobStatus[], type: ["even"], queue: ["q0", "q1"] };
      const expected = newest.filter(
        (j) =>
          filter.status.includes(j.status) && filter.type.includes(j.type) && filter.queue.includes(j.queue),
      );
      expect(expected.length).toBeGreaterThan(2);
      const page = await ctx.store.query({ ...filter, limit: 2, offset: 1 });
      expect(page).toEqual({ jobs: expected.slice(1, 3), total: expected.length });
    });

    test("a filter matching nothing gives an empty page and total 0", async () => {
      await seed();
      expect(await ctx.store.query({ type: ["nope"], limit: 10, offset: 0 })).toEqual({ jobs: [], total: 0 });
    });

    test("reflects state changes", async () => {
      const [job] = makeJobs(1);
      await ctx.store.create(job as Job);
      await ctx.store.update((job as Job).id, (j) => cancel(j, T0 + 1));
      const page = await ctx.store.query({ status: ["cancelled"], limit: 10, offset: 0 });
      expect(page.jobs.map((j) => [j.id, j.status])).toEqual([[job?.id, "cancelled"]]);
      expect((await ctx.store.query({ status: ["queued"], limit: 10, offset: 0 })).total).toBe(0);
    });

    test("finds a few jobs of one status among many others", async () => {
      await ctx.store.createMany(makeJobs(300));
      const failed = makeJob({ status: "failed", createdAt: T0 - SECOND });
      await ctx.store.save(failed);
      expect(await ctx.store.query({ status: ["failed"], limit: 10, offset: 0 })).toEqual({
        jobs: [failed],
        total: 1,
      });
    });
  });
}

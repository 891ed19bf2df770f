/**
 * Slots: jobs take slots in lease order; a handler's return frees its slot at once (to the oldest
 * waiting job, if any); outcomes on their way are bounded by `size` more.
 */
import { describe, expect, it } from "vitest";
import { Slots } from "../../src/client/slots.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("Slots", () => {
  it("frees a slot when its handler returns, before its outcome is reported", async () => {
    const slots = new Slots(2);
    await slots.acquire();
    await slots.acquire();
    expect(slots.free).toBe(0);
    slots.handlerDone();
    expect(slots.free).toBe(1);
  });

  it("hands a freed slot to the jobs waiting for one, oldest first", async () => {
    const slots = new Slots(1);
    await slots.acquire();
    const started: string[] = [];
    const b = slots.acquire().then(() => started.push("b"));
    const c = slots.acquire().then(() => started.push("c"));
    expect([slots.waiting, slots.free]).toEqual([2, 0]);
    await nextTurn();
    expect(started).toEqual([]);
    slots.handlerDone();
    await b;
    expect([started, slots.waiting]).toEqual([["b"], 1]);
    slots.handlerDone();
    await c;
    expect(started).toEqual(["b", "c"]);
  });

  it("is backlogged once `size` outcomes beyond the running handlers are unreported", async () => {
    const slots = new Slots(2);
    for (let i = 0; i < 4; i++) {
      await slots.acquire();
      slots.handlerDone();
    }
    expect([slots.free, slots.backlogged]).toEqual([0, true]); // four outcomes on their way, no handler running
    slots.reported();
    expect([slots.free, slots.backlogged]).toEqual([1, false]);
  });

  it("wakes a waiter a turn after a handler ends, and not before", async () => {
    const slots = new Slots(1);
    await slots.acquire();
    let woke = false;
    const waiting = slots.nextChange().then(() => (woke = true));
    await nextTurn();
    expect(woke).toBe(false);
    slots.handlerDone();
    await waiting;
    expect(slots.free).toBe(1);
  });
});

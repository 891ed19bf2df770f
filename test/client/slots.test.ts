/** Slots: a handler's return frees its slot at once; outcomes on their way are bounded by `size` more. */
import { describe, expect, it } from "vitest";
import { Slots } from "../../src/client/slots.js";

describe("Slots", () => {
  it("frees a slot when its handler returns, before its outcome is reported", () => {
    const slots = new Slots(2);
    slots.take();
    slots.take();
    expect(slots.free).toBe(0);
    slots.handlerDone();
    expect(slots.free).toBe(1);
  });

  it("stops leasing once `size` outcomes beyond the running handlers are unreported", () => {
    const slots = new Slots(2);
    for (let i = 0; i < 4; i++) slots.take();
    slots.handlerDone();
    slots.handlerDone();
    slots.handlerDone();
    slots.handlerDone();
    expect(slots.free).toBe(0); // four outcomes on their way, no handler running
    slots.reported();
    expect(slots.free).toBe(1);
  });

  it("wakes a waiter once a slot frees, and not before", async () => {
    const slots = new Slots(1);
    slots.take();
    let woke = false;
    const waiting = slots.whenFree().then(() => (woke = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toBe(false);
    slots.handlerDone();
    await waiting;
    expect(slots.free).toBe(1);
  });
});

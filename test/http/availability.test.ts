import { expect, test } from "vitest";
import { isJobdError } from "../../src/domain/errors.js";
import { Availability } from "../../src/http/availability.js";

const reason = (availability: Availability) => {
  try {
    availability.assertAvailable();
    return null;
  } catch (error) {
    if (!isJobdError(error)) throw error;
    return `${error.code}: ${error.message}`;
  }
};

test("unavailable until ready, available once ready, unavailable again once closing", () => {
  let ready = false;
  const availability = new Availability(() => ready);
  expect(reason(availability)).toBe("unavailable: jobd is starting up (recovery is not done yet)");
  ready = true;
  expect(reason(availability)).toBeNull();
  availability.markClosing();
  expect(reason(availability)).toBe("unavailable: jobd is shutting down");
});

test("draining (a shutdown has begun): /readyz refuses, the API still answers", () => {
  let draining = false;
  const availability = new Availability(
    () => true,
    () => draining,
  );
  availability.assertReady();
  draining = true;
  expect(() => availability.assertReady()).toThrow("jobd is shutting down");
  expect(reason(availability)).toBeNull();
});

/** A missing Chromium fails the browser tests with a message that says what to install; it never skips. */
import { describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.js";

describe("launchChromium", () => {
  it("names the missing binary and how to install it", async () => {
    await expect(launchChromium("/nonexistent/chromium")).rejects.toThrow(
      /Chromium not found at \/nonexistent\/chromium: .*apt-get install chromium/,
    );
  });
});

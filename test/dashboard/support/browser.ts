/**
 * Debian's Chromium driven by playwright-core. A missing browser is a failure with a clear message,
 * never a silent skip: CI (.ci/run) installs it with apt.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.JOBD_CHROMIUM ?? "/usr/bin/chromium";

/** Launches headless Chromium, or throws saying how to install it. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: the dashboard's browser tests need Debian's chromium ` +
        "(apt-get install chromium; .ci/run installs it) or JOBD_CHROMIUM=<path to a Chromium binary>.",
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/** Waits until `selector`'s text (trimmed) satisfies `expected`; the timeout error shows the last text. */
export async function waitForText(
  page: Page,
  selector: string,
  expected: string | RegExp,
  timeoutMs = 15_000,
): Promise<string> {
  const pattern = typeof expected === "string" ? `^${escapeRegExp(expected)}$` : expected.source;
  try {
    await page.waitForFunction(
      ([sel, source]) =>
        new RegExp(source as string).test(document.querySelector(sel as string)?.textContent?.trim() ?? ""),
      [selector, pattern],
      { timeout: timeoutMs },
    );
  } catch {
    const actual = await page
      .locator(selector)
      .first()
      .textContent({ timeout: 100 })
      .catch(() => null);
    throw new Error(
      `${selector}: expected text ${String(expected)}, got ${JSON.stringify(actual?.trim() ?? null)}`,
    );
  }
  return (await page.locator(selector).first().textContent())?.trim() ?? "";
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

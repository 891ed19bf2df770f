/**
 * Where a view reports what an action did: successes in a polite live region, refusals (with the
 * server's own message) in an alert, so screen readers hear both and the page shows them at once.
 */
import { h } from "./dom.js";

/** One view's message area. */
export class Messages {
  readonly element: HTMLElement;
  private readonly status = h("p", { role: "status", class: "message ok" });
  private readonly alert = h("p", { role: "alert", class: "message error" });

  constructor() {
    this.element = h("div", { class: "messages" }, this.status, this.alert);
  }

  /** Shows a success and clears any earlier error. */
  ok(text: string): void {
    this.alert.textContent = "";
    this.status.textContent = text;
  }

  /** Shows a refusal or failure and clears any earlier success. */
  error(text: string): void {
    this.status.textContent = "";
    this.alert.textContent = text;
  }
}

/** The message to show for anything thrown by an API call. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

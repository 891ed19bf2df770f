/**
 * The token prompt, shown when the API answers 401: it says why, takes the token once, and keeps it
 * in sessionStorage for this tab.
 */
import { h } from "./dom.js";
import { saveToken } from "./token.js";

/** The prompt; `refused` says a stored token was just rejected. `done` runs after a token is saved. */
export function tokenForm(refused: boolean, done: () => void): HTMLElement {
  const input = h("input", {
    id: "api-token",
    name: "token",
    type: "password",
    required: true,
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": "token-why",
  });
  const form = h(
    "form",
    { class: "token-form" },
    h("label", { for: "api-token" }, "API token"),
    input,
    h("button", { type: "submit" }, "Use token"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return input.focus();
    saveToken(token);
    done();
  });
  const why = refused
    ? "The server refused the token (401 unauthorized). Check it and enter it again."
    : "This jobd server requires an API token: its API answered 401 unauthorized. " +
      "Enter the token it was started with (--api-token or JOBD_API_TOKEN).";
  const section = h(
    "section",
    { class: "token", "aria-labelledby": "token-heading" },
    h("h2", { id: "token-heading" }, "API token required"),
    h("p", { id: "token-why", role: "alert" }, why),
    form,
    h(
      "p",
      { class: "hint" },
      "The token is kept for this tab only (sessionStorage) and sent as a Bearer header.",
    ),
  );
  queueMicrotask(() => input.focus());
  return section;
}

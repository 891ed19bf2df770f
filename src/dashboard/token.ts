/**
 * The API token, kept in sessionStorage: it lives as long as the tab, is never written into a URL,
 * and is sent only as an `Authorization: Bearer` header.
 */
const KEY = "jobd.apiToken";

/** The stored token, or null when none was entered in this tab. */
export function readToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Remembers the token for this tab. */
export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/** Forgets the token (after the server refused it). */
export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The headers that carry the token, if there is one. */
export function authHeaders(): Record<string, string> {
  const token = readToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * Parses a `text/event-stream` body as it arrives in chunks (the WHATWG rules the dashboard needs:
 * `event:`, multi-line `data:`, comments, CRLF or LF line ends, a blank line ends a message).
 */

/** One message of the stream. */
export interface SseMessage {
  event: string;
  data: string;
}

/** Feed it decoded text chunks; it returns the messages each chunk completed. */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  /** Parses what `chunk` completes; a partial last line waits for the next chunk. */
  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? "";
    const messages: SseMessage[] = [];
    for (const line of lines) {
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return null;
  }

  private dispatch(): SseMessage | null {
    const message =
      this.data.length > 0 ? { event: this.event || "message", data: this.data.join("\n") } : null;
    this.event = "";
    this.data = [];
    return message;
  }
}

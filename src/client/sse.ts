/**
 * Reads a `text/event-stream` body (what `GET /api/events` sends) into `{event, data}` messages: `event:`
 * and `data:` lines, a blank line ends a message, `:` lines are comments (keep-alives).
 */

/** One server-sent event; `data` joins multiple `data:` lines with newlines. */
export interface SseMessage {
  event: string;
  data: string;
}

/** Yields each message as it arrives; ends when the stream ends. */
export async function* readEventStream(
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = "";
  let message = emptyMessage();
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split(/\r?\n/);
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        if (message.dataLines.length > 0) yield { event: message.event, data: message.dataLines.join("\n") };
        message = emptyMessage();
      } else {
        readField(line, message);
      }
    }
  }
}

interface PartialMessage {
  event: string;
  dataLines: string[];
}

const emptyMessage = (): PartialMessage => ({ event: "message", dataLines: [] });

function readField(line: string, message: PartialMessage): void {
  if (line.startsWith(":")) return;
  const colon = line.indexOf(":");
  const field = colon === -1 ? line : line.slice(0, colon);
  const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
  if (field === "event") message.event = value;
  else if (field === "data") message.dataLines.push(value);
}

/** The event-stream reader: messages split across chunks, comments, multi-line data, CRLF. */
import { describe, expect, it } from "vitest";
import { readEventStream } from "../../src/client/sse.js";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>) {
  const messages = [];
  for await (const message of readEventStream(stream)) messages.push(message);
  return messages;
}

describe("readEventStream", () => {
  it("reads event and data lines, ignoring comments", async () => {
    const messages = await collect(streamOf(': keep-alive\n\nevent: created\ndata: {"a":1}\n\n'));
    expect(messages).toEqual([{ event: "created", data: '{"a":1}' }]);
  });

  it("joins a message split anywhere across chunks", async () => {
    const text = 'event: completed\ndata: {"id":"x"}\n\nevent: failed\ndata: {"id":"y"}\n\n';
    const chunks = text.match(/.{1,3}/gs) ?? [];
    expect(await collect(streamOf(...chunks))).toEqual([
      { event: "completed", data: '{"id":"x"}' },
      { event: "failed", data: '{"id":"y"}' },
    ]);
  });

  it("joins several data lines with newlines, accepts CRLF, defaults the event to message", async () => {
    expect(await collect(streamOf("data: one\r\ndata:two\r\n\r\n"))).toEqual([
      { event: "message", data: "one\ntwo" },
    ]);
  });

  it("drops a message the stream cut off before its blank line", async () => {
    expect(await collect(streamOf("event: created\ndata: {}"))).toEqual([]);
  });
});

/** The dashboard's SSE parser: chunk boundaries anywhere, CRLF, comments, multi-line data. */
import { describe, expect, it } from "vitest";
import { SseParser } from "../../src/dashboard/sse-parser.js";

describe("SseParser", () => {
  it("parses events split across chunks at any point", () => {
    const stream =
      ': connected\n\nevent: created\ndata: {"id":"a"}\n\nevent: completed\ndata: {"id":"b"}\n\n';
    for (let cut = 0; cut <= stream.length; cut++) {
      const parser = new SseParser();
      const messages = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(messages).toEqual([
        { event: "created", data: '{"id":"a"}' },
        { event: "completed", data: '{"id":"b"}' },
      ]);
    }
  });

  it("joins multi-line data, accepts CRLF, ignores comments and data-less blocks", () => {
    const parser = new SseParser();
    const messages = parser.push(
      ": heartbeat\r\n\r\nevent: progress\r\ndata: line 1\r\ndata:line 2\r\n\r\ndata: plain\n\n",
    );
    expect(messages).toEqual([
      { event: "progress", data: "line 1\nline 2" },
      { event: "message", data: "plain" },
    ]);
  });
});

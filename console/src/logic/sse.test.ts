import { describe, expect, it } from 'vitest';
import { readEvents, SseParser, type SseEvent } from './sse';

describe('Server-Sent Events', () => {
  it('parses events split anywhere across chunks, with comments and every line ending', () => {
    const parser = new SseParser();
    const text = ':following\n\nevent:log\ndata:{"message":"one"}\n\nevent: log\r\ndata: {"message":\r\ndata: "two"}\r\n\r\ndata:plain\rid:7\r\r:end\n';
    const events: SseEvent[] = [];
    for (const chunk of text.match(/[\s\S]{1,3}/g)!) {
      events.push(...parser.push(chunk));
    }
    expect(events).toEqual([
      { event: 'log', data: '{"message":"one"}', id: undefined },
      { event: 'log', data: '{"message":\n"two"}', id: undefined },
      { event: 'message', data: 'plain', id: '7' },
    ]);
  });

  it('dispatches nothing for a comment-only or unfinished event', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nevent: log\ndata: half')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'log', data: 'half', id: undefined }]);
  });

  it('reads a streamed body as it arrives', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('event: log\ndata: {"message":"é'));
        controller.enqueue(encoder.encode('"}\n\n'));
        controller.close();
      },
    });
    const seen: SseEvent[] = [];
    await readEvents(body, (event) => seen.push(event));
    expect(seen.map((e) => JSON.parse(e.data).message)).toEqual(['é']);
  });
});

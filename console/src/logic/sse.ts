/** One Server-Sent Event: its type (`message` unless named) and its data lines joined. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * The text/event-stream format (WHATWG HTML, "Parsing an event stream") fed in chunks as they
 * arrive: lines end in CRLF, LF or CR (a CR at a chunk's end waits for a possible LF), `:`
 * starts a comment, a blank line ends an event, an event without data is not dispatched.
 */
export class SseParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];
  private id: string | undefined;

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0 || (this.buffer[end] === '\r' && end === this.buffer.length - 1)) {
        return events;
      }
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      const event = this.line(line);
      if (event) {
        events.push(event);
      }
    }
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      const event = this.data.length > 0 ? { event: this.type || 'message', data: this.data.join('\n'), id: this.id } : null;
      this.type = '';
      this.data = [];
      return event;
    }
    if (line.startsWith(':')) {
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'data') {
      this.data.push(value);
    } else if (field === 'event') {
      this.type = value;
    } else if (field === 'id' && !value.includes('\0')) {
      this.id = value;
    }
    return null;
  }
}

/** Reads a text/event-stream body, calling `onEvent` for each event, until it ends (or its fetch is aborted). */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      // stream: a character split across chunks waits for its other bytes.
      parser.push(decoder.decode(value, { stream: true })).forEach(onEvent);
    }
  } finally {
    reader.releaseLock();
  }
}

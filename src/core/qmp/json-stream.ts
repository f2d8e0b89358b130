/**
 * QMP input as QEMU reads it: bytes through QEMU's JSON lexer, streamer and
 * parser (json-lexer.ts, json-parser.ts), each message or error in order.
 * Lexical and syntax errors become QEMU's "JSON parse error, ..." texts and
 * the stream carries on after them, recovering where QEMU recovers.
 *
 * Work and memory are linear in the input: one table step per byte, a
 * message parsed as its tokens arrive. Memory is bounded by QEMU's own
 * limits on a message (64 MiB of tokens, 2^21 tokens, nesting 1024): the
 * bytes of the token being read plus the value built so far.
 */
import { JsonMessageStream, type StreamItem } from './json-parser.ts';

export type { StreamItem };
export { qemuJson } from './json-writer.ts';

const utf8 = new TextEncoder();

export class QmpJsonStream {
  private ready: StreamItem[] = [];
  private readonly stream = new JsonMessageStream((item) => this.ready.push(item));

  /** Feeds input (bytes [from, to), or text as UTF-8); returns what it completed. */
  feed(input: Uint8Array | string, from = 0, to?: number): StreamItem[] {
    const bytes = typeof input === 'string' ? utf8.encode(input) : input;
    this.stream.feed(bytes, from, to ?? bytes.length);
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Forgets any partial message (a new client connects). */
  reset(): void {
    this.stream.reset();
    this.ready = [];
  }
}

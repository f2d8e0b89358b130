/**
 * Raw deflate through the Compression Streams API, which browsers and Node
 * both provide. Inflating is capped: the output is read as it streams and
 * the stream is cancelled as soon as it passes the cap, so a small link
 * cannot make the page unpack megabytes.
 */

/** Input is fed in pieces this large so the inflater never runs far past the cap. */
const FEED_CHUNK = 1024;

export async function deflateRaw(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new CompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const fed = writer.write(bytes).then(() => writer.close());
  // Both awaited together, so a failure on either side is reported, not left unhandled.
  const [out] = await Promise.all([readAll(stream.readable.getReader(), Infinity, { total: 0 }), fed]);
  return out.bytes;
}

export type InflateFailure = 'truncated' | 'corrupt' | 'too-large';

export type Inflated =
  | { ok: true; bytes: Uint8Array<ArrayBuffer> }
  /** `inflated`: how many bytes came out before the inflater stopped. */
  | { ok: false; reason: InflateFailure; inflated: number };

/** How feeding the inflater ended. */
export type FeedOutcome = 'done' | 'write-failed' | 'close-failed';

/** Inflates raw deflate data; never throws; stops once the output passes `cap` bytes. */
export async function inflateRaw(data: Uint8Array<ArrayBuffer>, cap: number): Promise<Inflated> {
  let stream: DecompressionStream;
  try {
    stream = new DecompressionStream('deflate-raw');
  } catch {
    return { ok: false, reason: 'corrupt', inflated: 0 };
  }
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const feeding = feed(writer, data);
  const progress = { total: 0 };
  let out: Collected;
  try {
    out = await readAll(reader, cap, progress);
  } catch (error) {
    return { ok: false, reason: classifyInflateError(error, await feeding), inflated: progress.total };
  }
  if (out.tooLarge) {
    // Cancelling the readable and aborting the writable both stop the inflater;
    // either may reject once the other has, which is expected.
    await Promise.allSettled([reader.cancel(), writer.abort()]);
    return { ok: false, reason: 'too-large', inflated: out.total };
  }
  const fed = await feeding;
  if (fed !== 'done') return { ok: false, reason: fed === 'close-failed' ? 'truncated' : 'corrupt', inflated: out.total };
  return { ok: true, bytes: out.bytes };
}

async function feed(writer: WritableStreamDefaultWriter<BufferSource>, data: Uint8Array<ArrayBuffer>): Promise<FeedOutcome> {
  try {
    for (let i = 0; i < data.length; i += FEED_CHUNK) await writer.write(data.subarray(i, i + FEED_CHUNK));
  } catch {
    return 'write-failed';
  }
  try {
    await writer.close();
  } catch {
    return 'close-failed';
  }
  return 'done';
}

/**
 * Tells data that stops early from data that is wrong. The Compression
 * Streams standard fails the write of a bad chunk but only the close for
 * input that ends before the deflate stream does; Node delivers both at the
 * close and says which with zlib's code instead.
 */
export function classifyInflateError(error: unknown, fed: FeedOutcome): 'truncated' | 'corrupt' {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  if (code === 'Z_BUF_ERROR') return 'truncated';
  if (typeof code === 'string' && code !== '') return 'corrupt';
  return fed === 'close-failed' ? 'truncated' : 'corrupt';
}

interface Collected {
  bytes: Uint8Array<ArrayBuffer>;
  total: number;
  tooLarge: boolean;
}

async function readAll(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  cap: number,
  progress: { total: number },
): Promise<Collected> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    progress.total = total;
    if (total > cap) return { bytes: new Uint8Array(0), total, tooLarge: true };
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes, total, tooLarge: false };
}

/**
 * The few web-platform globals that browsers and Node both provide and the
 * pure layers may use: the Encoding API, structuredClone, and Compression
 * Streams with the parts of Streams they need. Only tsconfig.pure.json
 * includes this file; everywhere else the DOM and Node libraries declare them.
 * Anything not declared here (document, window, process, Buffer, setTimeout,
 * fetch, ...) is a type error in src/core, src/qapi and src/share.
 */

type BufferSource = ArrayBufferView<ArrayBuffer> | ArrayBuffer;
type AllowSharedBufferSource = ArrayBufferLike | ArrayBufferView;

interface TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecodeOptions {
  stream?: boolean;
}
interface TextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string;
}
declare var TextDecoder: { prototype: TextDecoder; new (label?: string, options?: TextDecoderOptions): TextDecoder };

interface StructuredSerializeOptions {
  transfer?: unknown[];
}
declare function structuredClone<T = unknown>(value: T, options?: StructuredSerializeOptions): T;

interface ReadableStreamReadDoneResult<T> {
  done: true;
  value: T | undefined;
}
interface ReadableStreamReadValueResult<T> {
  done: false;
  value: T;
}
type ReadableStreamReadResult<T> = ReadableStreamReadValueResult<T> | ReadableStreamReadDoneResult<T>;
interface ReadableStreamDefaultReader<R = unknown> {
  readonly closed: Promise<undefined>;
  read(): Promise<ReadableStreamReadResult<R>>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}
interface ReadableStream<R = unknown> {
  readonly locked: boolean;
  getReader(): ReadableStreamDefaultReader<R>;
  cancel(reason?: unknown): Promise<void>;
}
interface WritableStreamDefaultWriter<W = unknown> {
  readonly closed: Promise<undefined>;
  readonly desiredSize: number | null;
  readonly ready: Promise<undefined>;
  write(chunk?: W): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
  releaseLock(): void;
}
interface WritableStream<W = unknown> {
  readonly locked: boolean;
  getWriter(): WritableStreamDefaultWriter<W>;
}

type CompressionFormat = 'deflate' | 'deflate-raw' | 'gzip';
interface CompressionStream {
  readonly readable: ReadableStream<Uint8Array<ArrayBuffer>>;
  readonly writable: WritableStream<BufferSource>;
}
declare var CompressionStream: { prototype: CompressionStream; new (format: CompressionFormat): CompressionStream };
interface DecompressionStream {
  readonly readable: ReadableStream<Uint8Array<ArrayBuffer>>;
  readonly writable: WritableStream<BufferSource>;
}
declare var DecompressionStream: { prototype: DecompressionStream; new (format: CompressionFormat): DecompressionStream };

/**
 * Pure helpers of the stream backend: the `info network` text in each
 * situation per release (net/stream.c history), the option rules of
 * net_init_stream(), and the reconnect interval.
 */
import type { SocketAddress } from '../net/address.ts';
import type { Release } from '../releases.ts';

/** NetdevStreamOptions after the QAPI visitor accepted them. */
export interface StreamOptions {
  addr: SocketAddress;
  server?: boolean;
  reconnect?: number;
  'reconnect-ms'?: number;
}

/**
 * The stream branch of a Netdev the QAPI visitor accepted (id and type
 * taken off). The visitor checked every member against
 * NetdevStreamOptions in our QAPI schema; this is the one place that
 * tells TypeScript so.
 */
export function visitedStreamOptions(visited: Record<string, unknown>): StreamOptions {
  return visited as unknown as StreamOptions;
}

const explicit = (r: Release) => r.info === 'explicit';

/** A server netdev was created; listening runs in the background. */
export const infoServerCreated = (r: Release): string => (explicit(r) ? 'initializing' : '');
/** A server netdev listens, at start or after its client left. */
export const infoListening = (r: Release): string => (explicit(r) ? 'listening' : '');
/** A client netdev was created; its first connect runs in the background. */
export const infoClientCreated = (r: Release): string => (explicit(r) ? 'connecting' : '');
/** Listening or connecting failed with `message` (an Error's text). */
export const infoFailure = (r: Release, message: string): string =>
  explicit(r) ? `error: ${message}` : 'connection error';
/**
 * A client's connection ended. 7.2 to 8.2 clear the text; 9.0 and later
 * keep showing the last peer until a reconnect is armed.
 */
export const infoClientDisconnected = (r: Release, previous: string): string => (explicit(r) ? previous : '');
/** A reconnect timer was armed (only 9.0 and later say so). */
export const infoReconnectArmed = (r: Release, previous: string): string => (explicit(r) ? 'connecting' : previous);

/** QEMU keeps the text in a 256-byte buffer (vsnprintf truncates). */
export function truncateInfo(text: string): string {
  // At most 3 bytes per UTF-16 unit for anything short enough: no encoding needed.
  if (text.length <= 85) return text;
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 255) return text;
  // Drop a UTF-8 sequence the cut would leave half.
  let end = 255;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/**
 * net_init_stream()'s own checks, which run after the QAPI visitor accepted
 * the arguments. They test whether a member is present, not its value.
 */
export function streamOptionError(r: Release, o: StreamOptions): string | null {
  const hasReconnect = o.reconnect !== undefined;
  const hasMs = o['reconnect-ms'] !== undefined;
  if (o.server === true) {
    switch (r.optionRules) {
      case 'reconnect-only':
        return hasReconnect ? "'reconnect' option is incompatible with socket in server mode" : null;
      case 'both':
        return hasReconnect || hasMs
          ? "'reconnect' and 'reconnect-ms' options are incompatible with socket in server mode"
          : null;
      case 'ms-only':
        return hasMs ? "'reconnect-ms' option is incompatible with socket in server mode" : null;
      case 'none':
        return null;
    }
  }
  if (r.optionRules === 'both' && hasReconnect && hasMs) return "'reconnect' and 'reconnect-ms' are mutually exclusive";
  return null;
}

/**
 * The reconnect interval in milliseconds; 0 means no reconnection. From
 * 9.2 both members land in a 32-bit millisecond field (reconnect * 1000,
 * silently truncated); before, `reconnect` is whole seconds.
 */
export function reconnectInterval(r: Release, o: StreamOptions): number {
  if (o.server === true) return 0;
  if (r.reconnectUnit === 'seconds') {
    const s = o.reconnect ?? 0;
    return s * 1000;
  }
  if (o['reconnect-ms'] !== undefined) return toUint32(o['reconnect-ms']);
  if (o.reconnect !== undefined) return toUint32(o.reconnect * 1000);
  return 0;
}

function toUint32(n: number): number {
  const big = BigInt(Math.trunc(n));
  return Number(((big % 4294967296n) + 4294967296n) % 4294967296n);
}

/**
 * Whether QEMU crashes when the failed connect of a client netdev deleted
 * meanwhile reports back (its callback reads the freed netdev). Recorded:
 * 7.2 crashes (SIGSEGV), 10.0 and 11.1 do not. In QEMU's net/stream.c the
 * 7.2 callback tells failure by `sioc->fd < 0`, reaching the socket through
 * the freed netdev; the change that gave info network its "error: ..."
 * texts (what `explicit` marks, from 9.0) made it ask the task instead
 * (qio_task_propagate_error). The releases in between follow the callback
 * they have; only 7.2, 10.0 and 11.1 were run.
 */
export const connectFailureAfterDeleteCrashes = (r: Release): boolean => !explicit(r);

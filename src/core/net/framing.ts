/**
 * The stream netdev's framing: a 4-byte big-endian length, then that many
 * bytes of Ethernet frame. Reassembly follows net_fill_rstate() byte for
 * byte, including its quirks: the size check fires on payload bytes as they
 * arrive (never on the header alone), and a zero-length frame is only
 * delivered when the next byte after its header is read.
 */

/** NET_BUFSIZE: the reassembly buffer and the most QEMU reads at once. */
export const NET_BUFSIZE = 4096 + 65536;

export interface ReadState {
  /** 0: collecting the length; 2: collecting the payload (QEMU's numbering). */
  state: 0 | 2;
  index: number;
  packetLen: number;
  /** Length bytes collected so far while state is 0. */
  header: number;
  /** Payload bytes of the frame being collected (only kept when asked). */
  payload: Uint8Array | null;
}

export function initialReadState(): ReadState {
  return { state: 0, index: 0, packetLen: 0, header: 0, payload: null };
}

export interface FillResult {
  rs: ReadState;
  /** Lengths of frames completed by this read, in order. */
  frames: number[];
  /** Completed frames' bytes, when `keepBytes` was set. */
  frameBytes: Uint8Array[];
  /** A frame whose payload overflowed NET_BUFSIZE: QEMU drops the connection. */
  oversized: boolean;
}

/**
 * Feeds one read's bytes through the reassembler. Returns the new state and
 * what completed. Stops at an oversized frame, as QEMU does (return -1).
 */
export function fillReadState(prev: ReadState, buf: Uint8Array, keepBytes = false): FillResult {
  const rs: ReadState = { ...prev };
  const frames: number[] = [];
  const frameBytes: Uint8Array[] = [];
  let pos = 0;
  let size = buf.length;
  while (size > 0) {
    if (rs.state === 0) {
      const l = Math.min(4 - rs.index, size);
      for (let i = 0; i < l; i++) rs.header = (rs.header * 256 + buf[pos + i]!) >>> 0;
      pos += l;
      size -= l;
      rs.index += l;
      if (rs.index === 4) {
        rs.packetLen = rs.header;
        rs.header = 0;
        rs.index = 0;
        rs.state = 2;
        rs.payload = keepBytes ? new Uint8Array(Math.min(rs.packetLen, NET_BUFSIZE)) : null;
      }
    } else {
      const l = Math.min(rs.packetLen - rs.index, size);
      if (rs.index + l > NET_BUFSIZE) {
        return { rs: initialReadState(), frames, frameBytes, oversized: true };
      }
      if (rs.payload) rs.payload.set(buf.subarray(pos, pos + l), rs.index);
      rs.index += l;
      pos += l;
      size -= l;
      if (rs.index >= rs.packetLen) {
        frames.push(rs.packetLen);
        if (rs.payload) frameBytes.push(rs.payload);
        rs.index = 0;
        rs.state = 0;
        rs.payload = null;
      }
    }
  }
  return { rs, frames, frameBytes, oversized: false };
}

/** A frame as a peer writes it: length prefix, then the bytes. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  const n = payload.length;
  out[0] = (n >>> 24) & 0xff;
  out[1] = (n >>> 16) & 0xff;
  out[2] = (n >>> 8) & 0xff;
  out[3] = n & 0xff;
  out.set(payload, 4);
  return out;
}

/** Splits a byte stream into whole frames (for views and tests). */
export function decodeFrames(stream: Uint8Array): { frames: Uint8Array[]; rest: number } {
  const frames: Uint8Array[] = [];
  let pos = 0;
  while (stream.length - pos >= 4) {
    const n = ((stream[pos]! << 24) | (stream[pos + 1]! << 16) | (stream[pos + 2]! << 8) | stream[pos + 3]!) >>> 0;
    if (stream.length - pos - 4 < n) break;
    frames.push(stream.subarray(pos + 4, pos + 4 + n));
    pos += 4 + n;
  }
  return { frames, rest: stream.length - pos };
}

/**
 * "Be a peer": the form's fields turned into one scenario step, or a clear
 * sentence saying which field is wrong and how. Pure, so every message is
 * tested in Node; the DOM side (peer-form.ts) only reads the fields.
 */
import { MAX_WAIT_MS, type PeerAddress, type Step } from '../../core/scenario/schema.ts';
import { isHex } from '../../core/util/hex.ts';
import type { PeerAddressFields } from './known-addresses.ts';

export type PeerAction = 'connect' | 'listen' | 'close' | 'send' | 'send-raw' | 'wait';

export const PEER_ACTIONS: readonly PeerAction[] = ['connect', 'listen', 'close', 'send', 'send-raw', 'wait'];

export interface PeerFields {
  peer: string;
  addrType: string;
  path: string;
  host: string;
  port: string;
  hex: string;
  wait: string;
  /** The address picked from the scenario's own, when one was: its extra members (abstract, ipv6, …) are kept if the fields still match it. */
  known?: PeerAddressFields | null;
}

export type FormResult = { ok: true; step: Step } | { ok: false; field: keyof PeerFields; message: string };


type AddressResult = { ok: true; addr: PeerAddressFields } | { ok: false; field: keyof PeerFields; message: string };

function address(f: PeerFields): AddressResult {
  const type = f.addrType.trim();
  if (type === 'unix') {
    const path = f.path.trim();
    if (path === '') return { ok: false, field: 'path', message: 'Fill in the socket path (e.g. /tmp/sim/n0.sock).' };
    if (f.known?.type === 'unix' && f.known.path === path) return { ok: true, addr: f.known };
    return { ok: true, addr: { type: 'unix', path } };
  }
  if (type === 'inet') {
    const host = f.host.trim();
    const port = f.port.trim();
    if (host === '') return { ok: false, field: 'host', message: 'Fill in the host (e.g. 127.0.0.1 or ::1).' };
    if (port === '') return { ok: false, field: 'port', message: 'Fill in the port (e.g. 5555).' };
    if (f.known?.type === 'inet' && f.known.host === host && f.known.port === port) return { ok: true, addr: f.known };
    return { ok: true, addr: { type: 'inet', host, port } };
  }
  return { ok: false, field: 'addrType', message: `The address type must be unix or inet, not ${JSON.stringify(type)}.` };
}

/** The step the form describes for `action`, or what to fix. */
export function stepFromForm(action: PeerAction, f: PeerFields): FormResult {
  if (action === 'wait') {
    const text = f.wait.trim();
    const n = Number(text);
    if (text === '' || !Number.isInteger(n) || n < 0) return { ok: false, field: 'wait', message: 'The wait is a whole number of milliseconds, 0 or more.' };
    if (n > MAX_WAIT_MS) return { ok: false, field: 'wait', message: `A wait is at most ${MAX_WAIT_MS.toLocaleString('en-US')} ms (one simulated day).` };
    return { ok: true, step: { wait: n } };
  }
  const peer = f.peer.trim();
  if (peer === '') return { ok: false, field: 'peer', message: 'Give the peer a name first (any short text, e.g. "a").' };
  if (peer.length > 64) return { ok: false, field: 'peer', message: 'A peer name is at most 64 characters.' };
  switch (action) {
    case 'connect':
    case 'listen': {
      const a = address(f);
      if (!a.ok) return a;
      return { ok: true, step: action === 'connect' ? { peer, connect: a.addr as PeerAddress } : { peer, listen: a.addr as PeerAddress } };
    }
    case 'send':
    case 'send-raw': {
      const hex = f.hex.replace(/\s+/g, '');
      if (hex === '' || !isHex(hex)) return { ok: false, field: 'hex', message: 'The bytes must be hex digits, two per byte (e.g. ffffffffffff…).' };
      return { ok: true, step: action === 'send' ? { peer, send: hex.toLowerCase() } : { peer, 'send-raw': hex.toLowerCase() } };
    }
    case 'close':
      return { ok: true, step: { peer, close: true } };
  }
}

/**
 * AF_VSOCK on the simulated machine, as on the machines the recordings
 * were made on: a VM guest with a virtio vsock device (/dev/vsock), local
 * CID 3, a guest-to-host transport and neither a loopback nor a
 * host-to-guest transport. Measured there with real QEMU 7.2, 10.0 and
 * 11.1 (content/conformance/RECORDED-HERE.md, 62):
 *
 * - connect to CID 2 (the host) where nothing listens: the host resets it
 *   at once (ECONNRESET);
 * - connect to CID 0, 1 or -1: the guest-to-host transport carries it and
 *   nobody answers: ETIMEDOUT after the 2 s vsock connect timeout;
 * - connect to any other CID (3, this guest's own, included): no transport
 *   (ENODEV);
 * - bind to CID -1 (any) or 3 works; to any other CID: EADDRNOTAVAIL.
 *
 * No connection ever reaches a vsock listener here, so peers (which, like
 * the recorder's Node.js peers, cannot open AF_VSOCK sockets) never meet one.
 */
import type { Errno } from './kernel-state.ts';

export const VMADDR_CID_ANY = 0xffffffff;
export const VMADDR_CID_HOST = 2;
/** This guest's CID. */
export const VSOCK_LOCAL_CID = 3;
/** VSOCK_DEFAULT_CONNECT_TIMEOUT: 2 s. */
export const VSOCK_CONNECT_TIMEOUT_MS = 2000;

export type VsockConnectOutcome = { fails: Errno; afterMs: number };

/** What a blocking connect(2) to `cid` ends with on this machine, and when. */
export function vsockConnectOutcome(cid: number): VsockConnectOutcome {
  if (cid === VMADDR_CID_HOST) return { fails: 'ECONNRESET', afterMs: 0 };
  if (cid === 0 || cid === 1 || cid === VMADDR_CID_ANY) return { fails: 'ETIMEDOUT', afterMs: VSOCK_CONNECT_TIMEOUT_MS };
  return { fails: 'ENODEV', afterMs: 0 };
}

/** bind(2) of a vsock socket to `cid`: null when it works. */
export function vsockBindError(cid: number): Errno | null {
  return cid === VMADDR_CID_ANY || cid === VSOCK_LOCAL_CID ? null : 'EADDRNOTAVAIL';
}

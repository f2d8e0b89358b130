/**
 * QEMU shutting down (qemu_system_shutdown_request() and the main loop's
 * exit). Real QEMU 7.2, 10.0 and 11.1 send SHUTDOWN *before* quit's
 * `{"return": {}}` and exit with status 0 within milliseconds
 * (reference §5.1, content/conformance 50-52). The simulated session and
 * the stand-in both go through here, so the order is the same in both.
 */
import { inQemuOrder } from './qdict.ts';

export type ShutdownReason = 'host-qmp-quit' | 'host-signal';

/** The exit status QEMU ends with after a requested shutdown. */
export const SHUTDOWN_EXIT_STATUS = 0;

export interface ShutdownHost {
  emitQmpEvent(event: string, data: Record<string, unknown>): void;
}

/** Announces the shutdown: the SHUTDOWN event goes out now, before anything else QEMU writes. */
export function announceShutdown(host: ShutdownHost, reason: ShutdownReason): void {
  host.emitQmpEvent('SHUTDOWN', inQemuOrder({ guest: false, reason }));
}

/**
 * Inet ports on the simulated machine: which bindings clash (a dual-stack
 * "::" also holds the IPv4 port), ephemeral ports (Linux's range, skipping
 * the ports a scenario writes down), and the source address of a loopback
 * connect.
 */
import { isWildcard } from './address.ts';
import { EPHEMERAL_FIRST, EPHEMERAL_LAST, type NetworkState } from './kernel-state.ts';

/** Whether binding `ip`:`port` would clash with a listener or a connection's local end. */
export function inetPortTaken(state: NetworkState, family: 'inet4' | 'inet6', ip: string, port: number, v6only: boolean): boolean {
  for (const l of state.listeners.values()) {
    const a = l.addr;
    if (a.family === 'unix' || a.family === 'vsock' || a.port !== port) continue;
    if (overlaps(a.family, a.ip, l.v6only, family, ip, v6only)) return true;
  }
  for (const c of state.connections.values()) {
    for (const e of c.ends) {
      const a = e.local;
      if (a.family === family && a.port === port && a.ip === ip && !e.closed) return true;
    }
  }
  return false;
}

export function pickEphemeralPort(state: NetworkState): number {
  for (let tries = 0; tries <= EPHEMERAL_LAST - EPHEMERAL_FIRST; tries++) {
    const p = state.nextEphemeral;
    state.nextEphemeral = p >= EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
    if (state.reservedPorts.has(p)) continue;
    if (portInUse(state, p)) continue;
    return p;
  }
  return EPHEMERAL_FIRST;
}

function portInUse(state: NetworkState, port: number): boolean {
  for (const l of state.listeners.values()) if (l.addr.family !== 'unix' && l.addr.port === port) return true;
  for (const c of state.connections.values()) {
    for (const e of c.ends) if (e.local.family !== 'unix' && e.local.port === port && !e.closed) return true;
  }
  return false;
}

function overlaps(
  fa: 'inet4' | 'inet6',
  ipa: string,
  v6onlyA: boolean,
  fb: 'inet4' | 'inet6',
  ipb: string,
  v6onlyB: boolean,
): boolean {
  if (fa === fb) return ipa === ipb || isWildcard(ipa) || isWildcard(ipb);
  // A dual-stack "::" also holds the IPv4 port.
  const [six, sixOnly, four] = fa === 'inet6' ? [ipa, v6onlyA, ipb] : [ipb, v6onlyB, ipa];
  void four;
  return six === '::' && !sixOnly;
}

/** The source address Linux picks for a loopback destination. */
export function sourceAddressFor(family: 'inet4' | 'inet6', dest: string): string {
  if (family === 'inet4') return '127.0.0.1';
  if (dest.startsWith('::ffff:')) return '::ffff:127.0.0.1';
  return '::1';
}

/**
 * Seeded generators of large scenarios for the benchmarks: many server
 * netdevs on the command line and peers that connect, send frames, hang
 * up and come back, with an occasional QMP command and wait.
 */
import { SeededRandom } from '../src/core/util/random.ts';
import type { Scenario, Step } from '../src/core/scenario/schema.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../src/core/net/sample-frame.ts';

export function busyScenario(netdevs: number, steps: number, seed = 1): Scenario {
  const rng = new SeededRandom(seed);
  const path = (i: number) => `/tmp/sim/s${i}.sock`;
  const nd = Array.from({ length: netdevs }, (_, i) => ({
    id: `s${i}`,
    type: 'stream',
    server: true,
    addr: { type: 'unix', path: path(i) },
  }));
  const peers = netdevs; // one peer per server, named after it
  const connected = new Array<boolean>(peers).fill(false);
  const out: Step[] = [];
  while (out.length < steps) {
    const p = rng.int(peers);
    const name = `p${p}`;
    const r = rng.next();
    if (!connected[p]) {
      out.push({ peer: name, connect: { type: 'unix', path: path(p) } });
      connected[p] = true;
    } else if (r < 0.6) {
      out.push({ peer: name, send: SAMPLE_ARP_FRAME_HEX });
    } else if (r < 0.85) {
      out.push({ peer: name, close: true });
      connected[p] = false;
    } else if (r < 0.9) {
      out.push({ qmp: { execute: 'set_link', arguments: { name: `s${p}`, up: rng.next() < 0.5 } } });
    } else if (r < 0.93) {
      out.push({ qmp: { execute: 'query-version' } });
    } else {
      out.push({ wait: rng.int(50) });
    }
  }
  return { scenario: 1, qemu: '10.0', title: `${netdevs} servers, ${steps} steps`, netdevs: nd, steps: out };
}

/** A client that reconnects every `ms` to a peer that never comes back, for `hours` of simulated time. */
export function lonelyClient(ms: number, hours: number): Scenario {
  return {
    scenario: 1,
    qemu: '11.1',
    title: `reconnect-ms=${ms}, peer gone for ${hours} h`,
    netdevs: [],
    steps: [
      { peer: 'p', listen: { type: 'unix', path: '/tmp/sim/p.sock' } },
      {
        qmp: {
          execute: 'netdev_add',
          arguments: { id: 'c0', type: 'stream', addr: { type: 'unix', path: '/tmp/sim/p.sock' }, 'reconnect-ms': ms },
        },
      },
      { peer: 'p', close: true },
      { wait: hours * 3_600_000 },
      { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } },
    ],
  };
}

/**
 * A realistic long scenario for link-size checks: a server netdev and
 * clients added over QMP, peers that listen, connect, send the 42-byte ARP
 * request of the spec's example and hang up, `info network` in between.
 * Deterministic: the same call gives the same scenario.
 */
import type { Scenario, Step } from '../../src/core/scenario/schema.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';

const INFO_NETWORK: Step = { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } };

/** `count` steps (default 40) cycling through the lives of a few connections. */
export function realisticScenario(count = 40): Scenario {
  const steps: Step[] = [];
  for (let round = 0; steps.length < count; round++) {
    const peer = ['passt', 'socat', 'test'][round % 3]!;
    const sock = `/tmp/sim/c${round}.sock`;
    const id = `c${round}`;
    steps.push(
      { peer: 'client' + round, connect: { type: 'unix', path: '/tmp/sim/n0.sock' } },
      { wait: 200 },
      { peer: 'client' + round, send: SAMPLE_ARP_FRAME_HEX },
      INFO_NETWORK,
      { peer: 'client' + round, close: true },
      { peer, listen: { type: 'unix', path: sock } },
      {
        qmp: {
          execute: 'netdev_add',
          arguments: { id, type: 'stream', server: false, addr: { type: 'unix', path: sock }, 'reconnect-ms': 1000 },
        },
      },
      { peer, send: SAMPLE_ARP_FRAME_HEX },
      INFO_NETWORK,
      { peer, close: true },
      { wait: 1500 },
      { qmp: { execute: 'netdev_del', arguments: { id } } },
    );
  }
  return {
    scenario: 1,
    title: 'A server and a stream of clients: connect, send an ARP request, hang up',
    description:
      'The server netdev `n0` accepts one client at a time; each client sends the ARP request and leaves, so QEMU reports NETDEV_STREAM_CONNECTED and then NETDEV_STREAM_DISCONNECTED. Between them a client netdev added with `netdev_add` connects to a listening peer and reconnects after it goes away.',
    qemu: '10.0',
    netdevs: [{ id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: '/tmp/sim/n0.sock' } }],
    steps: steps.slice(0, count),
  };
}

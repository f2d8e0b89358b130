/** fast-check generators of scenarios, from sensible to hostile. */
import fc from 'fast-check';
import { RELEASE_NAMES } from '../../src/core/releases.ts';

const unixPaths = ['/tmp/sim/a.sock', '/tmp/sim/b.sock', '/tmp/sim/nodir/x.sock', 'rel.sock', '/tmp', ''];
const addresses = fc.oneof(
  fc.record({ type: fc.constant('unix'), path: fc.constantFrom(...unixPaths) }),
  fc.record({ type: fc.constant('unix'), path: fc.constantFrom('/tmp/sim/abs', 'x'), abstract: fc.constant(true), tight: fc.boolean() }),
  fc.record({
    type: fc.constant('inet'),
    host: fc.constantFrom('127.0.0.1', '::1', 'localhost', '0.0.0.0', '::', 'nonexistent.invalid', '10.0.0.1'),
    port: fc.constantFrom('47000', '47001', '0', '70000', 'http'),
  }),
);
const peerAddress = fc.oneof(
  addresses,
  fc.record({ type: fc.constant('fd'), str: fc.constantFrom('3', 'x') }),
);
const netdevId = fc.constantFrom('n0', 'n1', 'c0', '1bad');
const hexFrame = fc.uint8Array({ maxLength: 64 }).map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(''));

const netdevArgs = fc.record(
  {
    id: netdevId,
    type: fc.constantFrom('stream', 'stream', 'stream', 'streamx', 'user'),
    server: fc.oneof(fc.boolean(), fc.constant('yes')),
    addr: fc.oneof(addresses, fc.constant({ type: 'unix' }), fc.constant({ type: 'vsock', cid: '2', port: '5' })),
    reconnect: fc.constantFrom(0, 1, -1),
    'reconnect-ms': fc.constantFrom(0, 100, 300, '5'),
  },
  { requiredKeys: ['id', 'type', 'addr'] },
);

const qmpCommand = fc.oneof(
  { weight: 4, arbitrary: netdevArgs.map((a) => ({ execute: 'netdev_add', arguments: a })) },
  { weight: 2, arbitrary: netdevId.map((id) => ({ execute: 'netdev_del', arguments: { id } })) },
  { weight: 1, arbitrary: fc.record({ name: netdevId, up: fc.boolean() }).map((a) => ({ execute: 'set_link', arguments: a })) },
  { weight: 3, arbitrary: fc.constant({ execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } }) },
  { weight: 1, arbitrary: fc.constantFrom({ execute: 'query-version' }, { execute: 'query-commands' }, { execute: 'qmp_capabilities' }) },
  { weight: 1, arbitrary: fc.constantFrom({ execute: 'quit' }, { execute: 'query-netdev' }, { execute: 'quit', id: 7 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.record({ execute: fc.string(), arguments: fc.jsonValue({ maxDepth: 2 }), id: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }) },
);

const peer = fc.constantFrom('a', 'b', 'c');
export const stepArb = fc.oneof(
  { weight: 3, arbitrary: qmpCommand.map((qmp) => ({ qmp })) },
  { weight: 2, arbitrary: fc.record({ peer, listen: peerAddress }) },
  { weight: 3, arbitrary: fc.record({ peer, connect: peerAddress }) },
  { weight: 2, arbitrary: fc.record({ peer, send: hexFrame }) },
  {
    weight: 1,
    arbitrary: fc.record({
      peer,
      'send-raw': fc.constantFrom('00000000', '0000002aff', '00011001', '000000', 'ff'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ peer, close: fc.constant(true as const) }) },
  { weight: 1, arbitrary: fc.record({ wait: fc.integer({ min: 0, max: 3000 }) }) },
);

export const scenarioArb = fc.record({
  scenario: fc.constant(1 as const),
  qemu: fc.constantFrom(...RELEASE_NAMES),
  netdevs: fc.array(netdevArgs, { maxLength: 2 }),
  steps: fc.array(stepArb, { maxLength: 25 }),
});

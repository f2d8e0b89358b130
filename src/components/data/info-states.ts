/**
 * The `info network` text of a stream netdev in each situation, for every
 * modelled release: small scenarios run on the engine during the build.
 * Each scenario ends with `info network`; the table cell is the text after
 * "type=stream," on netdev n0's line, as the engine printed it.
 */
import { findRelease } from '../../core/releases.ts';
import type { Scenario, Step } from '../../core/scenario/schema.ts';
import { runInline, type Run } from './runs.ts';

const SOCK = '/tmp/sim/n0.sock';
const unix = { type: 'unix', path: SOCK } as const;
const info: Step = { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } };
const add = (args: Record<string, unknown>): Step => ({ qmp: { execute: 'netdev_add', arguments: { id: 'n0', type: 'stream', ...args } } });

/** The reconnect member a release takes for "try again after 1 s", or null when it has none. */
export function reconnectAfterOneSecond(release: string): Record<string, number> | null {
  const r = findRelease(release)!;
  if (r.reconnectMs) return { 'reconnect-ms': 1000 };
  if (r.reconnect) return { reconnect: 1 };
  return null;
}

export interface InfoState {
  id: string;
  /** What is going on, in a few words. */
  label: string;
  mode: 'server' | 'client';
  /** Needs a reconnect member: no cell for a release without one. */
  reconnect: boolean;
  scenario: (release: string) => Scenario | null;
}

const scenario = (qemu: string, netdevs: Record<string, unknown>[], steps: Step[]): Scenario => ({
  scenario: 1,
  qemu,
  netdevs,
  steps,
});

const server = { id: 'n0', type: 'stream', server: true, addr: unix };

export const INFO_STATES: InfoState[] = [
  {
    id: 'server-listening',
    label: 'listening, no client yet',
    mode: 'server',
    reconnect: false,
    scenario: (q) => scenario(q, [server], [info]),
  },
  {
    id: 'server-connected-unix',
    label: 'a client is connected (unix socket)',
    mode: 'server',
    reconnect: false,
    scenario: (q) => scenario(q, [server], [{ peer: 'a', connect: unix }, info]),
  },
  {
    id: 'server-connected-inet',
    label: "a client is connected (TCP; the port is the client's ephemeral port)",
    mode: 'server',
    reconnect: false,
    scenario: (q) =>
      scenario(
        q,
        [{ id: 'n0', type: 'stream', server: true, addr: { type: 'inet', host: '127.0.0.1', port: '47001' } }],
        [{ peer: 'a', connect: { type: 'inet', host: '127.0.0.1', port: '47001' } }, info],
      ),
  },
  {
    id: 'server-after-hangup',
    label: 'its client hung up (listening again)',
    mode: 'server',
    reconnect: false,
    scenario: (q) => scenario(q, [server], [{ peer: 'a', connect: unix }, { peer: 'a', close: true }, info]),
  },
  {
    id: 'server-bind-failed',
    label: 'could not listen: the TCP port is taken',
    mode: 'server',
    reconnect: false,
    scenario: (q) =>
      scenario(q, [], [
        { peer: 'other', listen: { type: 'inet', host: '127.0.0.1', port: '47002' } },
        add({ server: true, addr: { type: 'inet', host: '127.0.0.1', port: '47002' } }),
        info,
      ]),
  },
  {
    id: 'client-connected',
    label: 'connected',
    mode: 'client',
    reconnect: false,
    scenario: (q) => scenario(q, [], [{ peer: 'p', listen: unix }, add({ addr: unix }), info]),
  },
  {
    id: 'client-failed',
    label: 'could not connect, no reconnect',
    mode: 'client',
    reconnect: false,
    scenario: (q) => scenario(q, [], [add({ addr: unix }), info]),
  },
  {
    id: 'client-after-hangup',
    label: 'the server hung up, no reconnect',
    mode: 'client',
    reconnect: false,
    scenario: (q) =>
      scenario(q, [], [{ peer: 'p', listen: unix }, add({ addr: unix }), { peer: 'p', close: true }, info]),
  },
  {
    id: 'client-waiting',
    label: 'could not connect, will retry (reconnect after 1 s)',
    mode: 'client',
    reconnect: true,
    scenario: (q) => {
      const r = reconnectAfterOneSecond(q);
      return r && scenario(q, [], [add({ addr: unix, ...r }), info]);
    },
  },
  {
    id: 'client-hangup-waiting',
    label: 'the server hung up, first retry not made yet',
    mode: 'client',
    reconnect: true,
    scenario: (q) => {
      const r = reconnectAfterOneSecond(q);
      return r && scenario(q, [], [{ peer: 'p', listen: unix }, add({ addr: unix, ...r }), { peer: 'p', close: true }, info]);
    },
  },
  {
    id: 'client-hangup-retry-failed',
    label: 'the server hung up, a retry failed, still retrying',
    mode: 'client',
    reconnect: true,
    scenario: (q) => {
      const r = reconnectAfterOneSecond(q);
      return (
        r &&
        scenario(q, [], [
          { peer: 'p', listen: unix },
          add({ addr: unix, ...r }),
          { peer: 'p', close: true },
          { wait: 1500 },
          info,
        ])
      );
    },
  },
];

export interface InfoCell {
  /** The info text after "type=stream,"; null when the release cannot express the state. */
  text: string | null;
  run: Run | null;
}

/** Runs one state's scenario as `release` and reads netdev n0's info text from the last `info network` reply. */
export function infoCell(state: InfoState, release: string): InfoCell {
  const s = state.scenario(release);
  if (!s) return { text: null, run: null };
  const run = runInline(`info-network/${state.id}`, s, release);
  const replies = run.transcript.filter(
    (e) => 'msg' in e && e.dir === '<-' && typeof (e.msg as { return?: unknown }).return === 'string',
  );
  const last = replies.at(-1);
  const text = last ? ((last as { msg: { return: string } }).msg.return) : '';
  const line = text.split('\r\n').find((l) => l.startsWith('n0: '));
  if (line === undefined) throw new Error(`info-network/${state.id} on ${release}: no n0 line in ${JSON.stringify(text)}`);
  const m = /^n0: index=\d+,type=stream,(.*)$/.exec(line);
  if (!m) throw new Error(`info-network/${state.id} on ${release}: unexpected line ${JSON.stringify(line)}`);
  return { text: m[1]!, run };
}

/**
 * What netdev_add answers for the reconnect members in each release: each
 * case is a one-step scenario run on the engine during the build; the cell
 * is the reply (`{}` or the error text).
 */
import type { Scenario } from '../../core/scenario/schema.ts';
import { runInline, type Run } from './runs.ts';

export interface OptionCase {
  id: string;
  label: string;
  args: Record<string, unknown>;
}

const unix = { type: 'unix', path: '/tmp/sim/p.sock' };

export const OPTION_CASES: OptionCase[] = [
  { id: 'client-reconnect', label: 'client, "reconnect": 1', args: { reconnect: 1 } },
  { id: 'client-reconnect-ms', label: 'client, "reconnect-ms": 500', args: { 'reconnect-ms': 500 } },
  { id: 'client-both', label: 'client, both members', args: { reconnect: 1, 'reconnect-ms': 500 } },
  { id: 'client-reconnect-negative', label: 'client, "reconnect": -1', args: { reconnect: -1 } },
  { id: 'client-reconnect-ms-string', label: 'client, "reconnect-ms": "500" (a string)', args: { 'reconnect-ms': '500' } },
  { id: 'server-reconnect-zero', label: 'server, "reconnect": 0', args: { server: true, reconnect: 0 } },
  { id: 'server-reconnect-ms', label: 'server, "reconnect-ms": 500', args: { server: true, 'reconnect-ms': 500 } },
];

export interface OptionCell {
  /** "{}" when accepted, else the error's desc. */
  text: string;
  accepted: boolean;
  run: Run;
}

export function optionCell(c: OptionCase, release: string): OptionCell {
  const s: Scenario = {
    scenario: 1,
    qemu: release,
    netdevs: [],
    steps: [{ qmp: { execute: 'netdev_add', arguments: { id: 'n0', type: 'stream', addr: unix, ...c.args } } }],
  };
  const run = runInline(`netdev_add-options/${c.id}`, s, release);
  const sent = run.transcript.findIndex((e) => 'dir' in e && e.dir === '->' && (e.msg as { execute?: string }).execute === 'netdev_add');
  const reply = run.transcript[sent + 1];
  if (sent < 0 || !reply || !('msg' in reply)) throw new Error(`netdev_add-options/${c.id} on ${release}: no reply`);
  const msg = reply.msg as { return?: unknown; error?: { desc: string } };
  if (msg.error) return { text: msg.error.desc, accepted: false, run };
  return { text: JSON.stringify(msg.return), accepted: true, run };
}

/**
 * A client netdev deleted while its connect is still in flight (QEMU's
 * worker thread blocks in connect() on a full unix backlog, or waits out a
 * vsock timeout): when the connect reports back, the callback runs on the
 * freed netdev. Recorded on this project's machine, 3 runs per build:
 * success kills QEMU 7.2, 10.0 and 11.1 with SIGSEGV (exit status 139);
 * failure kills 7.2 and passes unnoticed on 10.0 and 11.1. Not kept as
 * recordings because the stand-in on real sockets does not crash.
 */
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { runScenario } from '../../src/core/scenario/session.ts';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';

const info = { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } };
const sock = { type: 'unix', path: '/tmp/sim/n0.sock' };

function run(release: string, scenario: unknown) {
  const checked = checkScenario(scenario);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const s = runScenario(checked.scenario, { checker: schemaChecker, release });
  return { transcript: s.engine.transcript, stderr: s.engine.stderr };
}

const blocked = {
  scenario: 1,
  title: 't',
  description: 'd',
  qemu: '7.2',
  netdevs: [{ id: 's0', type: 'stream', server: true, addr: sock }],
  steps: [
    { peer: 'a', connect: sock },
    { peer: 'b', connect: sock },
    { qmp: { execute: 'netdev_add', arguments: { id: 'c0', type: 'stream', addr: sock } } },
    { qmp: { execute: 'netdev_del', arguments: { id: 'c0' } } },
    { peer: 'a', close: true },
    info,
  ],
};

const vsock = {
  scenario: 1,
  title: 't',
  description: 'd',
  qemu: '7.2',
  netdevs: [],
  steps: [
    { qmp: { execute: 'netdev_add', arguments: { id: 'c0', type: 'stream', addr: { type: 'vsock', cid: '1', port: '1' } } } },
    { qmp: { execute: 'netdev_del', arguments: { id: 'c0' } } },
    { wait: 2300 },
    info,
  ],
};

describe('a client deleted while its connect is in flight', () => {
  for (const release of ['7.2', '10.0', '11.1']) {
    it(`kills QEMU ${release} with SIGSEGV when the connect then succeeds, after the server took the waiting peer`, () => {
      const r = run(release, blocked);
      const last = r.transcript.at(-1);
      expect(last && 'exit' in last ? last.exit : null).toBe(139);
      const events = r.transcript.flatMap((l) => ('msg' in l && (l.msg as { event?: string }).event ? [(l.msg as { event: string }).event] : []));
      expect(events.slice(-2)).toEqual(['NETDEV_STREAM_DISCONNECTED', 'NETDEV_STREAM_CONNECTED']);
      expect(r.stderr.slice(-2)).toEqual(['[recorder] QMP connection closed; command not sent', '[recorder] qemu exit status 139']);
    });
  }

  it('kills QEMU 7.2 when the connect then fails, and not 10.0 or 11.1', () => {
    const old = run('7.2', vsock);
    const oldLast = old.transcript.at(-1);
    expect(oldLast && 'exit' in oldLast ? oldLast.exit : null).toBe(139);
    for (const release of ['10.0', '11.1']) {
      const r = run(release, vsock);
      expect(r.transcript.some((l) => 'exit' in l)).toBe(false);
      const last = r.transcript.at(-1);
      expect(last && 'msg' in last ? last.msg : null).toEqual({ return: '' });
    }
  });
});

/**
 * GLib priorities in the simulated main loop (src/core/scheduler.ts,
 * netdevTaskPriority): a worker thread's result waits as an idle source
 * until nothing of default priority is ready at that instant.
 */
import { describe, expect, it } from 'vitest';
import { GLIB_PRIORITY_DEFAULT, GLIB_PRIORITY_DEFAULT_IDLE, netdevTaskPriority } from '../../src/core/netdev/netdevs.ts';
import { Scheduler } from '../../src/core/scheduler.ts';

type T = { kind: string; then?: T };

describe('task priorities', () => {
  it('runs an idle task after default tasks of the same instant, even ones queued after it by those tasks', () => {
    const ran: string[] = [];
    const clock: Scheduler<T> = new Scheduler<T>(
      (task) => {
        ran.push(task.kind);
        if (task.then) clock.schedule(task.then);
      },
      (task) => netdevTaskPriority(task),
    );
    clock.schedule({ kind: 'netdev.connected' });
    clock.schedule({ kind: 'netdev.accept', then: { kind: 'netdev.read', then: { kind: 'netdev.accept' } } });
    clock.schedule({ kind: 'netdev.timer' }, 5);
    clock.runUntil(10);
    expect(ran).toEqual(['netdev.accept', 'netdev.read', 'netdev.accept', 'netdev.connected', 'netdev.timer']);
  });

  it('gives idle priority to a connect result, success or failure, and default priority to everything else', () => {
    expect(netdevTaskPriority({ kind: 'netdev.connected' })).toBe(GLIB_PRIORITY_DEFAULT_IDLE);
    expect(netdevTaskPriority({ kind: 'netdev.connect-failed' })).toBe(GLIB_PRIORITY_DEFAULT_IDLE);
    for (const kind of ['netdev.accept', 'netdev.read', 'netdev.timer', 'netdev.listen', 'netdev.connect', 'peer.accept', 'kernel.timer']) {
      expect(netdevTaskPriority({ kind }), kind).toBe(GLIB_PRIORITY_DEFAULT);
    }
  });
});

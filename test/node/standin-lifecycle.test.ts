/**
 * netdev-sim qemu ends as QEMU does (reference §5.1): on quit, SIGTERM or
 * SIGINT, SHUTDOWN reaches the client before anything else, every socket
 * closes, every socket file and the pid file go, and the process exits
 * with status 0 within 50 ms, whether or not the QMP client stays
 * connected. Signals reach the process a user starts: the bin, and
 * through npx (npm, then npm's shell, then the stand-in).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, cleanUp, qmpConnect, run, standIn, tempDir, waitFor, waitForPath } from '../support/standin.ts';

afterEach(cleanUp);

function setup(extra: string[] = []) {
  const dir = tempDir();
  const qmp = join(dir, 'qmp.sock');
  const nd = join(dir, 'n0.sock');
  const pid = join(dir, 'qemu.pid');
  const args = ['-M', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${qmp},server=on,wait=off`, '-pidfile', pid, '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${nd}`, ...extra];
  return { dir, qmp, nd, pid, args };
}

const shutdownEvent = (reason: string) => (m: Record<string, unknown>) =>
  m.event === 'SHUTDOWN' && JSON.stringify(m.data) === JSON.stringify({ guest: false, reason });

describe('netdev-sim qemu exits as QEMU does', () => {
  it('on quit with the client still connected: SHUTDOWN, then the reply, exit 0 within 50 ms, every file gone', async () => {
    const s = setup();
    const q = standIn(s.args);
    await waitForPath(s.qmp);
    const c = await (await qmpConnect(s.qmp)).negotiate();
    await waitForPath(s.nd);
    const before = c.lines.length;
    const t0 = performance.now();
    c.send({ execute: 'quit' });
    const { code, at } = await q.exited;
    await c.waitMsg((m) => 'return' in m && c.lines.indexOf(c.lines.find((l) => l.msg === m)!) >= before);
    expect(c.lines.slice(before).map((l) => l.msg)).toEqual([
      expect.objectContaining({ event: 'SHUTDOWN', data: { guest: false, reason: 'host-qmp-quit' } }),
      { return: {} },
    ]);
    expect(code).toBe(0);
    expect(at - t0).toBeLessThan(50);
    expect([existsSync(s.qmp), existsSync(s.nd), existsSync(s.pid)]).toEqual([false, false, false]);
    // The client was not waited for: the stand-in closed its end.
    await waitFor(() => c.closedAt() !== null, 2000, 'the QMP socket to close');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} to the bin a user runs, with a client connected: SHUTDOWN host-signal, QEMU's stderr line, exit 0 within 50 ms`, async () => {
      const s = setup();
      const q = standIn(s.args);
      await waitForPath(s.qmp);
      const c = await (await qmpConnect(s.qmp)).negotiate();
      await waitForPath(s.nd);
      const t0 = performance.now();
      q.child.kill(signal);
      const { code, signal: by, at } = await q.exited;
      expect({ code, by }).toEqual({ code: 0, by: null });
      expect(at - t0).toBeLessThan(50);
      await c.waitMsg(shutdownEvent('host-signal'), 2000);
      const n = signal === 'SIGINT' ? 2 : 15;
      // The sender is this test's process (node): QEMU names it by its argv[0].
      const argv0 = readFileSync(`/proc/${process.pid}/cmdline`, 'latin1').split('\0')[0];
      expect(q.stderr()).toContain(`qemu-system-x86_64: terminating on signal ${n} from pid ${process.pid} (${argv0})\n`);
      expect([existsSync(s.qmp), existsSync(s.nd), existsSync(s.pid)]).toEqual([false, false, false]);
    });
  }

  // npm runs the bin through `sh -c` and forwards signals to that shell only.
  const viaNpx = [
    { how: 'SIGTERM to the npx process (the shell npm signals dies; the stand-in hears it die)', signal: 'SIGTERM', group: false, status: 15 },
    { how: 'Ctrl-C on npx (SIGINT to its process group, as a terminal sends it)', signal: 'SIGINT', group: true, status: 2 },
  ] as const;
  for (const v of viaNpx) {
    it(`${v.how}: SHUTDOWN host-signal, every file gone, no orphan left`, async () => {
      const s = setup();
      const npx = run('npx', ['--yes', 'netdev-sim', 'qemu', ...s.args], { detached: true });
      await waitForPath(s.qmp, 30_000);
      const c = await (await qmpConnect(s.qmp)).negotiate();
      await waitForPath(s.pid);
      const pid = Number(readFileSync(s.pid, 'utf8'));
      expect(alive(pid)).toBe(true);
      if (v.group) process.kill(-npx.child.pid!, v.signal);
      else npx.child.kill(v.signal);
      await c.waitMsg(shutdownEvent('host-signal'), 2000);
      await waitFor(() => !alive(pid), 2000, 'the stand-in to exit');
      await npx.exited;
      expect(npx.stderr()).toMatch(new RegExp(`qemu-system-x86_64: terminat(ing|ed) on signal (15|${v.status})`));
      expect([existsSync(s.qmp), existsSync(s.nd), existsSync(s.pid)]).toEqual([false, false, false]);
    });
  }
});

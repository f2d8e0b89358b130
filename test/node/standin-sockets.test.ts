/**
 * netdev-sim qemu's listening sockets behave as QEMU's: the QMP server
 * never wedges whatever its clients do, listen backlogs are QEMU's (0 for
 * a stream netdev, 1 for the QMP chardev) with the kernel refusing what
 * does not fit, and an inet port above 65535 wraps as in QEMU.
 */
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, qmpConnect, standIn, tempDir, waitFor, waitForPath } from '../support/standin.ts';

afterEach(cleanUp);

function connectRaw(path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(path, () => resolve(s));
    s.once('error', reject);
  });
}

/** Starts `n` non-blocking connects at once; resolves to how many the kernel took and refused. */
async function burst(path: string, n: number) {
  const results = await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<{ ok: boolean; code?: string; sock?: net.Socket }>((resolve) => {
        const s = net.connect(path);
        s.once('connect', () => resolve({ ok: true, sock: s }));
        s.once('error', (e) => resolve({ ok: false, code: (e as NodeJS.ErrnoException).code! }));
      }),
    ),
  );
  const socks = results.flatMap((r) => (r.sock ? [r.sock] : []));
  const refused = results.filter((r) => !r.ok);
  return { socks, refused: refused.length, codes: new Set(refused.map((r) => r.code)) };
}

async function startWithQmp(extra: string[] = []) {
  const dir = tempDir();
  const qmp = join(dir, 'qmp.sock');
  const q = standIn(['-qmp', `unix:${qmp},server=on,wait=off`, '--release', '10.0', ...extra]);
  await waitForPath(qmp);
  return { dir, qmp, q };
}

describe('the QMP server never wedges', () => {
  it('serves a fresh client after A is served, B connects, sends nothing and leaves, and A leaves', async () => {
    const { qmp } = await startWithQmp();
    const a = await (await qmpConnect(qmp)).negotiate();
    const b = await qmpConnect(qmp);
    await new Promise((r) => setTimeout(r, 100));
    expect(b.lines).toEqual([]); // B waits: no greeting while A is served
    b.sock.destroy();
    await new Promise((r) => setTimeout(r, 50));
    a.sock.destroy();
    const c = await qmpConnect(qmp);
    await c.waitMsg((m) => 'QMP' in m, 3000);
    await c.negotiate();
    expect(await c.command('query-version')).toMatchObject({ return: { qemu: { major: 10, minor: 0 } } });
  });

  it('greets a waiting client as soon as the served one leaves', async () => {
    const { qmp } = await startWithQmp();
    const a = await (await qmpConnect(qmp)).negotiate();
    const b = await qmpConnect(qmp);
    await new Promise((r) => setTimeout(r, 100));
    expect(b.lines).toEqual([]);
    a.sock.destroy();
    await b.waitMsg((m) => 'QMP' in m, 3000);
  });

  it('serves a fresh client after 200 rapid connects, refusing those its backlog cannot hold as QEMU does', async () => {
    const { qmp } = await startWithQmp();
    const first = await burst(qmp, 200);
    // QEMU refused 194 of 200 (reference §5.1): the kernel queue holds backlog + 1.
    expect(first.refused).toBeGreaterThanOrEqual(190);
    expect([...first.codes]).toEqual(['EAGAIN']);
    for (const s of first.socks) s.destroy();
    // The queued clients are gone; the stand-in accepts, finds them closed and moves on.
    const c = await retryAgain(() => qmpConnect(qmp));
    await c.waitMsg((m) => 'QMP' in m, 5000);
    await c.negotiate();
    expect(await c.command('query-version')).toHaveProperty('return');
  });

  it('serves a fresh client after clients that send half a message and leave', async () => {
    const { qmp } = await startWithQmp();
    for (let i = 0; i < 5; i++) {
      const h = await qmpConnect(qmp);
      await h.waitMsg((m) => 'QMP' in m);
      h.sock.write('{"execute": "qmp_capa');
      h.sock.destroy();
    }
    const c = await (await qmpConnect(qmp)).negotiate();
    expect(await c.command('query-version')).toHaveProperty('return');
  });
});

describe('netdev listening sockets', () => {
  it('1,000 connects to a server netdev: QEMU accepts at most 2, the kernel refuses the rest with EAGAIN', async () => {
    const { dir, qmp } = await startWithQmp();
    const nd = join(dir, 'n0.sock');
    const c = await (await qmpConnect(qmp)).negotiate();
    await c.command('netdev_add', { id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: nd } });
    await waitForPath(nd);
    const b = await burst(nd, 1000);
    expect(b.refused).toBeGreaterThanOrEqual(998);
    expect([...b.codes]).toEqual(['EAGAIN']);
    await new Promise((r) => setTimeout(r, 200));
    for (const s of b.socks) s.destroy();
    await new Promise((r) => setTimeout(r, 500));
    const events = c.events().map(([e]) => e);
    const connected = events.filter((e) => e === 'NETDEV_STREAM_CONNECTED').length;
    expect(connected).toBeLessThanOrEqual(2);
    expect(connected).toBeGreaterThanOrEqual(1);
    expect(events.filter((e) => e === 'NETDEV_STREAM_DISCONNECTED').length).toBe(connected);
  });

  it('addr.port 70000 listens on 4464, as QEMU (getaddrinfo takes the port modulo 65536)', async () => {
    const probe = await new Promise<boolean>((resolve) => {
      const s = net.createServer().listen(4464, '127.0.0.1', () => s.close(() => resolve(true)));
      s.on('error', () => resolve(false));
    });
    expect(probe, 'port 4464 must be free on this machine').toBe(true);
    const { qmp } = await startWithQmp();
    const c = await (await qmpConnect(qmp)).negotiate();
    await c.command('netdev_add', { id: 'n0', type: 'stream', server: true, addr: { type: 'inet', host: '127.0.0.1', port: '70000' } });
    await waitFor(() => true, 50);
    const peer = await new Promise<net.Socket>((resolve, reject) => {
      const t0 = Date.now();
      const tryOnce = () => {
        const s = net.connect(4464, '127.0.0.1', () => resolve(s));
        s.once('error', (e) => (Date.now() - t0 > 3000 ? reject(e) : setTimeout(tryOnce, 20)));
      };
      tryOnce();
    });
    const ev = await c.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    expect(ev.data).toMatchObject({ 'netdev-id': 'n0', addr: { type: 'inet', host: '127.0.0.1', port: String(peer.localPort) } });
    expect(await c.command('human-monitor-command', { 'command-line': 'info network' })).toEqual({
      return: `n0: index=0,type=stream,tcp:127.0.0.1:${peer.localPort}\r\n`,
    });
    peer.destroy();
  });
});

export { connectRaw };

/** Connects again while the kernel's queue is still full (EAGAIN), as a client would. */
async function retryAgain<T>(f: () => Promise<T>, ms = 3000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() - t0 > ms) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/**
 * The simulated kernel (src/core/net/network.ts) on its own: system calls
 * in, results and notices out, with no engine, no QEMU and no peers.
 */
import { describe, expect, it } from 'vitest';
import type { KernelAddress } from '../../src/core/net/address.ts';
import { emptyNetwork, Network, SYN_GIVE_UP_MS, SYN_RETRY_MS, type Notice, type Owner } from '../../src/core/net/network.ts';

const qemu: Owner = { kind: 'netdev', handle: 0 };
const peer = (name: string): Owner => ({ kind: 'peer', name });
const unix = (path: string): KernelAddress => ({ family: 'unix', path, abstract: false, tight: true });
const abstractName = (path: string, tight = true): KernelAddress => ({ family: 'unix', path, abstract: true, tight });
const bytes = (...b: number[]) => new Uint8Array(b);

/** A kernel whose notices and timers are written down for the test to read. */
function kernel(reserved: number[] = []) {
  const notices: Notice[] = [];
  const timers: { connId: number; ms: number }[] = [];
  const net = new Network(emptyNetwork(reserved), (n) => notices.push(n), (connId, ms) => timers.push({ connId, ms }));
  return { net, notices, timers };
}

function ok<T>(r: { ok: true; value: T } | { ok: false; errno: string }): T {
  if (!r.ok) throw new Error(`expected success, got ${r.errno}`);
  return r.value;
}

describe('unix socket files', () => {
  it('binds a path in an existing directory and makes the socket file appear', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    expect(net.socketFileExists('/tmp/a.sock')).toBe(true);
  });

  it('refuses a second bind of the same path with EADDRINUSE, also through a relative path', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, '/tmp/sim/a.sock', false, true, 0));
    expect(net.listenUnix(peer('p'), 'a.sock', false, true, 0)).toEqual({ ok: false, errno: 'EADDRINUSE' });
    expect(net.listenUnix(peer('p'), '/tmp/sim/./../sim/a.sock', false, true, 0)).toEqual({ ok: false, errno: 'EADDRINUSE' });
  });

  it('walks a path as Linux does: a socket file on the way is ENOTDIR, a missing directory ENOENT, even before a ..', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, '/tmp/sim/p.sock', false, true, 0));
    const under = '/tmp/sim/p.sock/x.sock';
    expect(net.unlink(under)).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(net.listenUnix(peer('p'), under, false, true, 0)).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(net.connect(peer('c'), unix(under))).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(net.connect(peer('c'), unix('p.sock/x.sock'))).toEqual({ ok: false, errno: 'ENOTDIR' });
    // ".." does not undo a component that cannot be looked up.
    expect(net.connect(peer('c'), unix('/tmp/sim/p.sock/../p.sock'))).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(net.connect(peer('c'), unix('/tmp/sim/none/../p.sock'))).toEqual({ ok: false, errno: 'ENOENT' });
    expect(net.unlink('/tmp/sim/none/x.sock')).toEqual({ ok: false, errno: 'ENOENT' });
  });

  it('wants a directory before a trailing slash: a socket file gives ENOTDIR (bind: in use), a missing name ENOENT (bind cannot create it)', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, '/tmp/sim/p.sock', false, true, 0));
    expect(net.connect(peer('c'), unix('/tmp/sim/p.sock/'))).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(net.unlink('/tmp/sim/p.sock/')).toEqual({ ok: false, errno: 'ENOTDIR' });
    expect(net.listenUnix(peer('p'), '/tmp/sim/t.sock/', false, true, 0)).toEqual({ ok: false, errno: 'ENOENT' });
    expect(net.listenUnix(peer('p'), '/tmp/sim/p.sock/', false, true, 0)).toEqual({ ok: false, errno: 'EADDRINUSE' });
    expect(net.connect(peer('c'), unix('/tmp/sim/t.sock/'))).toEqual({ ok: false, errno: 'ENOENT' });
    // A directory keeps its own answers.
    expect(net.unlink('/tmp/sim/')).toEqual({ ok: false, errno: 'EISDIR' });
    expect(net.connect(peer('c'), unix('/tmp/sim/'))).toEqual({ ok: false, errno: 'ECONNREFUSED' });
  });

  it('refuses a path whose directory does not exist with ENOENT, and a directory with EADDRINUSE', () => {
    const { net } = kernel();
    expect(net.listenUnix(qemu, '/nonexistent/a.sock', false, true, 0)).toEqual({ ok: false, errno: 'ENOENT' });
    expect(net.listenUnix(qemu, '/tmp', false, true, 0)).toEqual({ ok: false, errno: 'EADDRINUSE' });
  });

  it('unlinks a socket file (ENOENT when there is none, EISDIR for a directory), after which the path binds again', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    expect(net.unlink('/tmp/a.sock')).toEqual({ ok: true, value: undefined });
    expect(net.socketFileExists('/tmp/a.sock')).toBe(false);
    expect(net.unlink('/tmp/a.sock')).toEqual({ ok: false, errno: 'ENOENT' });
    expect(net.unlink('/tmp')).toEqual({ ok: false, errno: 'EISDIR' });
    ok(net.listenUnix(peer('p'), '/tmp/a.sock', false, true, 0));
  });

  it('leaves a listener whose file was unlinked unreachable by path: a connect gets ENOENT', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    net.unlink('/tmp/a.sock');
    expect(net.connect(peer('c'), unix('/tmp/a.sock'))).toEqual({ ok: false, errno: 'ENOENT' });
  });

  it('removes the file when a listener closes with unlinking, and keeps it without', () => {
    const { net } = kernel();
    const a = ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    const b = ok(net.listenUnix(qemu, '/tmp/b.sock', false, true, 0));
    net.closeListener(a.id, true);
    net.closeListener(b.id, false);
    expect(net.socketFileExists('/tmp/a.sock')).toBe(false);
    expect(net.socketFileExists('/tmp/b.sock')).toBe(true);
    // A stale file with nobody listening refuses connections.
    expect(net.connect(peer('c'), unix('/tmp/b.sock'))).toEqual({ ok: false, errno: 'ECONNREFUSED' });
  });

  it('refuses a connect to a missing path with ENOENT and to a directory with ECONNREFUSED', () => {
    const { net } = kernel();
    expect(net.connect(peer('c'), unix('/tmp/none.sock'))).toEqual({ ok: false, errno: 'ENOENT' });
    expect(net.connect(peer('c'), unix('/tmp'))).toEqual({ ok: false, errno: 'ECONNREFUSED' });
  });
});

describe('abstract unix names', () => {
  it('keeps abstract names apart from the filesystem: no file appears, a path of the same text is free', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, 'lab', true, true, 0));
    expect(net.socketFileExists('lab')).toBe(false);
    ok(net.listenUnix(peer('p'), 'lab', false, true, 0));
  });

  it('refuses a second listener on the same abstract name with EADDRINUSE', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, 'lab', true, true, 0));
    expect(net.listenUnix(peer('p'), 'lab', true, true, 0)).toEqual({ ok: false, errno: 'EADDRINUSE' });
  });

  it('treats a tight and a padded name of the same text as different names', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, 'lab', true, true, 0));
    ok(net.listenUnix(peer('p'), 'lab', true, false, 0));
    expect(net.connect(peer('c'), abstractName('lab', false)).ok).toBe(true);
    expect(net.connect(peer('d'), abstractName('other'))).toEqual({ ok: false, errno: 'ECONNREFUSED' });
  });

  it('frees the name when its listener closes', () => {
    const { net } = kernel();
    const l = ok(net.listenUnix(qemu, 'lab', true, true, 0));
    net.closeListener(l.id, true);
    expect(net.connect(peer('c'), abstractName('lab'))).toEqual({ ok: false, errno: 'ECONNREFUSED' });
    ok(net.listenUnix(peer('p'), 'lab', true, true, 0));
  });
});

describe('listen, backlog and accept', () => {
  it('queues a connect and tells the listener it has a connection to accept', () => {
    const { net, notices } = kernel();
    const l = ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    const c = ok(net.connect(peer('c'), unix('/tmp/a.sock')));
    expect(c.blocked).toBe(false);
    expect(net.listener(l.id)!.queue).toEqual([c.connId]);
    expect(notices).toEqual([{ kind: 'acceptable', owner: qemu, listenerId: l.id }]);
  });

  it('holds backlog + 1 connections; a blocking unix connect beyond that waits, a non-blocking one gets EAGAIN', () => {
    const { net } = kernel();
    const l = ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 1));
    expect(ok(net.connect(peer('c1'), unix('/tmp/a.sock'))).blocked).toBe(false);
    expect(ok(net.connect(peer('c2'), unix('/tmp/a.sock'))).blocked).toBe(false);
    expect(net.connect(peer('c3'), unix('/tmp/a.sock'), { nonBlocking: true })).toEqual({ ok: false, errno: 'EAGAIN' });
    const waiting = ok(net.connect(peer('c4'), unix('/tmp/a.sock')));
    expect(waiting.blocked).toBe(true);
    expect(net.listener(l.id)!.blocked).toEqual([waiting.connId]);
    expect(net.connection(waiting.connId)!.state).toBe('blocked');
  });

  it('lets a waiting unix connect complete when accept() makes room, and says so to its owner', () => {
    const { net, notices } = kernel();
    const l = ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    const first = ok(net.connect(peer('c1'), unix('/tmp/a.sock')));
    const second = ok(net.connect(peer('c2'), unix('/tmp/a.sock')));
    expect(second.blocked).toBe(true);
    notices.length = 0;
    const accepted = net.accept(l.id, qemu);
    expect(accepted?.id).toBe(first.connId);
    expect(accepted?.state).toBe('accepted');
    expect(net.listener(l.id)!.queue).toEqual([second.connId]);
    expect(notices).toContainEqual({ kind: 'connect-completed', owner: peer('c2'), connId: second.connId });
    expect(notices).toContainEqual({ kind: 'acceptable', owner: qemu, listenerId: l.id });
  });

  it('accepts oldest first and returns null when nothing waits', () => {
    const { net } = kernel();
    const l = ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 4));
    const a = ok(net.connect(peer('a'), unix('/tmp/a.sock')));
    const b = ok(net.connect(peer('b'), unix('/tmp/a.sock')));
    expect(net.accept(l.id, qemu)?.id).toBe(a.connId);
    expect(net.accept(l.id, qemu)?.id).toBe(b.connId);
    expect(net.accept(l.id, qemu)).toBeNull();
    expect(net.accept(9999, qemu)).toBeNull();
  });

  it('resets connections nobody accepted when the listener closes (EOF for the client), and fails waiting connects with ECONNREFUSED', () => {
    const { net, notices } = kernel();
    const l = ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    const queued = ok(net.connect(peer('c1'), unix('/tmp/a.sock')));
    const waiting = ok(net.connect(peer('c2'), unix('/tmp/a.sock')));
    notices.length = 0;
    net.closeListener(l.id, true);
    expect(net.connection(queued.connId)!.state).toBe('orphaned');
    expect(net.read(queued.connId, 0, 100)).toEqual(new Uint8Array(0));
    expect(net.connection(waiting.connId)).toBeUndefined();
    expect(notices).toEqual([
      { kind: 'readable', owner: peer('c1'), connId: queued.connId, side: 0 },
      { kind: 'connect-failed', owner: peer('c2'), connId: waiting.connId, errno: 'ECONNREFUSED' },
    ]);
  });

  it('drops the SYN of a TCP connect into a full queue and sends it again on the measured schedule, giving up with ETIMEDOUT', () => {
    const { net, notices, timers } = kernel();
    ok(net.listenInet(qemu, 'inet4', '127.0.0.1', 5000, false, 0));
    ok(net.connect(peer('c1'), { family: 'inet4', ip: '127.0.0.1', port: 5000 }));
    const c = ok(net.connect(peer('c2'), { family: 'inet4', ip: '127.0.0.1', port: 5000 }));
    expect(c.blocked).toBe(true);
    expect(timers).toEqual([{ connId: c.connId, ms: SYN_RETRY_MS[0] }]);
    // Every retry meets the same full queue.
    for (let i = 0; i <= SYN_RETRY_MS.length; i++) net.kernelTimer(c.connId);
    expect(timers.map((t) => t.ms).reduce((a, b) => a + b, 0)).toBe(SYN_GIVE_UP_MS);
    expect(notices.at(-1)).toEqual({ kind: 'connect-failed', owner: peer('c2'), connId: c.connId, errno: 'ETIMEDOUT' });
    expect(net.connection(c.connId)).toBeUndefined();
  });

  it('completes a retried SYN once the queue has room, without waiting for accept() to pull it in', () => {
    const { net, notices } = kernel();
    const l = ok(net.listenInet(qemu, 'inet4', '127.0.0.1', 5000, false, 0));
    ok(net.connect(peer('c1'), { family: 'inet4', ip: '127.0.0.1', port: 5000 }));
    const c = ok(net.connect(peer('c2'), { family: 'inet4', ip: '127.0.0.1', port: 5000 }));
    net.accept(l.id, qemu);
    // A TCP accept does not complete the dropped SYN by itself.
    expect(net.connection(c.connId)!.state).toBe('blocked');
    net.kernelTimer(c.connId);
    expect(net.connection(c.connId)!.state).toBe('queued');
    expect(notices).toContainEqual({ kind: 'connect-completed', owner: peer('c2'), connId: c.connId });
  });
});

describe('inet bindings', () => {
  it('binds only addresses of this loopback-only machine (EADDRNOTAVAIL otherwise) and refuses a taken port', () => {
    const { net } = kernel();
    expect(net.listenInet(qemu, 'inet4', '192.0.2.1', 5000, false, 0)).toEqual({ ok: false, errno: 'EADDRNOTAVAIL' });
    ok(net.listenInet(qemu, 'inet4', '127.0.0.1', 5000, false, 0));
    expect(net.listenInet(peer('p'), 'inet4', '0.0.0.0', 5000, false, 0)).toEqual({ ok: false, errno: 'EADDRINUSE' });
  });

  it('lets a dual-stack [::] hold the IPv4 port too, and a v6-only one leave it free', () => {
    const dual = kernel().net;
    ok(dual.listenInet(qemu, 'inet6', '::', 5000, false, 0));
    expect(dual.listenInet(peer('p'), 'inet4', '127.0.0.1', 5000, false, 0)).toEqual({ ok: false, errno: 'EADDRINUSE' });
    const only6 = kernel().net;
    ok(only6.listenInet(qemu, 'inet6', '::', 5000, true, 0));
    ok(only6.listenInet(peer('p'), 'inet4', '127.0.0.1', 5000, false, 0));
  });

  it('hands out ephemeral ports from 45000 on, skipping reserved ones', () => {
    const { net } = kernel([45000, 45001]);
    const l = ok(net.listenInet(qemu, 'inet4', '127.0.0.1', 0, false, 0));
    expect(l.addr).toEqual({ family: 'inet4', ip: '127.0.0.1', port: 45002 });
  });

  it('refuses connects to unreachable addresses with ENETUNREACH and to closed ports with ECONNREFUSED', () => {
    const { net } = kernel();
    expect(net.connect(peer('c'), { family: 'inet4', ip: '192.0.2.1', port: 5000 })).toEqual({ ok: false, errno: 'ENETUNREACH' });
    expect(net.connect(peer('c'), { family: 'inet4', ip: '127.0.0.1', port: 5000 })).toEqual({ ok: false, errno: 'ECONNREFUSED' });
  });

  it('shows an IPv4 client of a dual-stack listener as ::ffff:127.0.0.1 on the server side', () => {
    const { net } = kernel();
    const l = ok(net.listenInet(qemu, 'inet6', '::', 5000, false, 0));
    ok(net.connect(peer('c'), { family: 'inet4', ip: '127.0.0.1', port: 5000 }));
    const c = net.accept(l.id, qemu)!;
    expect(c.ends[1].remote).toMatchObject({ family: 'inet6', ip: '::ffff:127.0.0.1' });
    expect(c.ends[1].local).toEqual({ family: 'inet6', ip: '::ffff:127.0.0.1', port: 5000 });
  });
});

describe('byte streams and end-of-file', () => {
  function connected() {
    const k = kernel();
    const l = ok(k.net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    const c = ok(k.net.connect(peer('c'), unix('/tmp/a.sock')));
    k.net.accept(l.id, qemu);
    k.notices.length = 0;
    return { ...k, connId: c.connId };
  }

  it('delivers written bytes in order, in reads of at most the size asked for, and tells the reader', () => {
    const { net, notices, connId } = connected();
    expect(net.write(connId, 0, bytes(1, 2, 3))).toEqual({ ok: true, value: 3 });
    expect(net.write(connId, 0, bytes(4, 5))).toEqual({ ok: true, value: 2 });
    expect(notices).toEqual([
      { kind: 'readable', owner: qemu, connId, side: 1 },
      { kind: 'readable', owner: qemu, connId, side: 1 },
    ]);
    expect(net.readable(connId, 1)).toBe(true);
    expect(net.read(connId, 1, 4)).toEqual(bytes(1, 2, 3, 4));
    expect(net.read(connId, 1, 4)).toEqual(bytes(5));
    expect(net.read(connId, 1, 4)).toBeNull();
    expect(net.readable(connId, 1)).toBe(false);
  });

  it('gives end-of-file after the last byte once the other side closes', () => {
    const { net, notices, connId } = connected();
    net.write(connId, 0, bytes(9));
    net.close(connId, 0);
    expect(notices.at(-1)).toEqual({ kind: 'readable', owner: qemu, connId, side: 1 });
    expect(net.read(connId, 1, 10)).toEqual(bytes(9));
    expect(net.read(connId, 1, 10)).toEqual(new Uint8Array(0));
  });

  it('fails a write with EPIPE once either side closed, and forgets the connection when both have', () => {
    const { net, connId } = connected();
    net.close(connId, 1);
    expect(net.write(connId, 0, bytes(1))).toEqual({ ok: false, errno: 'EPIPE' });
    net.close(connId, 0);
    expect(net.connection(connId)).toBeUndefined();
    expect(net.write(connId, 0, bytes(1))).toEqual({ ok: false, errno: 'EPIPE' });
  });

  it('makes a connect that never completed simply go away when its owner closes it', () => {
    const { net } = kernel();
    const l = ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    ok(net.connect(peer('c1'), unix('/tmp/a.sock')));
    const waiting = ok(net.connect(peer('c2'), unix('/tmp/a.sock')));
    net.close(waiting.connId, 0);
    expect(net.connection(waiting.connId)).toBeUndefined();
    expect(net.listener(l.id)!.blocked).toEqual([]);
  });
});

describe('checkpoints of the kernel', () => {
  it('restores a saved state exactly, and later changes do not leak into the saved copy', () => {
    const { net } = kernel();
    ok(net.listenUnix(qemu, '/tmp/a.sock', false, true, 0));
    const c = ok(net.connect(peer('c'), unix('/tmp/a.sock')));
    net.write(c.connId, 0, bytes(1, 2));
    const saved = net.save();
    net.write(c.connId, 0, bytes(3));
    net.unlink('/tmp/a.sock');
    net.load(saved);
    expect(net.socketFileExists('/tmp/a.sock')).toBe(true);
    expect(net.connection(c.connId)!.ends[1].inboxBytes).toBe(2);
  });
});

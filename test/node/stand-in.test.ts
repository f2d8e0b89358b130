/**
 * netdev-sim qemu with real programs: socat as the peer, a real QMP client,
 * bad options, busy and unwritable socket paths, and clean shutdown.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/netdev-sim.mjs');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nsq-'));
  dirs.push(d);
  return d;
}

function standIn(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'qemu', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (t: string) => (stderr += t));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

/** A QMP client that collects every message and can wait for one. */
async function qmpClient(path: string) {
  let sock: net.Socket | null = null;
  for (let i = 0; i < 500 && !sock; i++) {
    sock = await new Promise<net.Socket | null>((resolve) => {
      const s = net.connect(path);
      s.once('connect', () => resolve(s));
      s.once('error', () => setTimeout(() => resolve(null), 20));
    });
  }
  if (!sock) throw new Error(`no QMP socket at ${path}`);
  const messages: Record<string, unknown>[] = [];
  let buf = '';
  sock.setEncoding('utf8');
  sock.on('data', (t: string) => {
    buf += t;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const row = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (row) messages.push(JSON.parse(row) as Record<string, unknown>);
    }
  });
  const waitFor = async (pred: (m: Record<string, unknown>) => boolean, ms = 5000) => {
    const t0 = Date.now();
    for (;;) {
      const m = messages.find(pred);
      if (m) return m;
      if (Date.now() - t0 > ms) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const send = (m: unknown) => sock.write(`${JSON.stringify(m)}\n`);
  await waitFor((m) => 'QMP' in m);
  send({ execute: 'qmp_capabilities' });
  await waitFor((m) => 'return' in m);
  return { sock, messages, send, waitFor };
}

const events = (ms: Record<string, unknown>[]) => ms.filter((m) => 'event' in m).map((m) => [m.event, m.data]);

describe('netdev-sim qemu with socat as the peer', () => {
  it('reports CONNECTED when socat connects and sends a frame, and DISCONNECTED when it hangs up', async () => {
    const dir = tempDir();
    const qmpPath = join(dir, 'qmp.sock');
    const nd = join(dir, 'n0.sock');
    const q = standIn(['-M', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${qmpPath},server=on,wait=off`, '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${nd}`]);
    const client = await qmpClient(qmpPath);
    // One framed ARP request: 4-byte length 42, then the frame; socat hangs up at end of input.
    const frame = '\\x00\\x00\\x00\\x2a' + SAMPLE_ARP_FRAME_HEX.replace(/../g, '\\x$&');
    const socat = spawnSync('sh', ['-c', `printf '${frame}' | socat -t 0.2 - UNIX-CONNECT:${nd}`], { encoding: 'utf8' });
    expect(socat.status, socat.stderr).toBe(0);
    await client.waitFor((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
    expect(events(client.messages)).toEqual([
      ['NETDEV_STREAM_CONNECTED', { 'netdev-id': 'n0', addr: { path: nd, type: 'unix' } }],
      ['NETDEV_STREAM_DISCONNECTED', { 'netdev-id': 'n0' }],
    ]);
    client.send({ execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } });
    await client.waitFor((m) => m.return === 'n0: index=0,type=stream,listening\r\n');
    client.send({ execute: 'quit' });
    expect(await q.exited).toBe(0);
    expect(existsSync(nd)).toBe(false);
    expect(existsSync(qmpPath)).toBe(false);
  });

  it('connects out to a socat listener and reconnects after socat restarts', async () => {
    const dir = tempDir();
    const qmpPath = join(dir, 'qmp.sock');
    const peer = join(dir, 'peer.sock');
    const q = standIn(['-qmp', `unix:${qmpPath},server=on,wait=off`, '--release', '10.0']);
    const client = await qmpClient(qmpPath);
    const listen = () => {
      const s = spawn('socat', ['-u', `UNIX-LISTEN:${peer},unlink-early`, 'OPEN:/dev/null']);
      children.push(s);
      return s;
    };
    let socat = listen();
    for (let i = 0; i < 200 && !existsSync(peer); i++) await new Promise((r) => setTimeout(r, 10));
    client.send({ execute: 'netdev_add', arguments: { id: 'c0', type: 'stream', addr: { type: 'unix', path: peer }, 'reconnect-ms': 200 } });
    await client.waitFor((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    socat.kill('SIGTERM');
    await client.waitFor((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
    socat = listen();
    await client.waitFor((m) => client.messages.filter((x) => x.event === 'NETDEV_STREAM_CONNECTED').length === 2 && m.event === 'NETDEV_STREAM_CONNECTED');
    expect(events(client.messages).map((e) => e[0])).toEqual([
      'NETDEV_STREAM_CONNECTED',
      'NETDEV_STREAM_DISCONNECTED',
      'NETDEV_STREAM_CONNECTED',
    ]);
    q.child.kill('SIGTERM');
    expect(await q.exited).toBe(0);
    expect(q.stderr()).toContain('qemu-system-x86_64: terminating on signal 15');
    expect(existsSync(qmpPath)).toBe(false);
    socat.kill('SIGTERM');
  });
});

describe('netdev-sim qemu refuses what it cannot do, in QEMU style, with status 1', () => {
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'qemu', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stderr: r.stderr };
  };

  it('rejects options it does not model', () => {
    expect(run(['-qmp', 'unix:/tmp/x.sock,server=on,wait=off', '-enable-kvm'])).toEqual({
      status: 1,
      stderr: 'qemu-system-x86_64: -enable-kvm: invalid option\n',
    });
    expect(run(['-M', 'pc', '-qmp', 'unix:/tmp/x.sock,server=on,wait=off']).status).toBe(1);
    expect(run(['-qmp', 'unix:/tmp/x.sock,wait=off'])).toEqual({
      status: 1,
      stderr: 'qemu-system-x86_64: -qmp unix:/tmp/x.sock,wait=off: netdev-sim only listens for its QMP client: add server=on\n',
    });
    expect(run(['-qmp', 'unix:/tmp/x.sock,server=on', '--release', '6.2']).stderr).toMatch(/--release 6\.2: unknown release; modelled releases are 7\.2, /);
  });

  it('rejects a bad -netdev as QEMU does, before its QMP socket exists', () => {
    const dir = tempDir();
    const qmpPath = join(dir, 'qmp.sock');
    const r = run(['-qmp', `unix:${qmpPath},server=on,wait=off`, '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${dir}/n0.sock,reconnect=1`]);
    expect(r).toEqual({
      status: 1,
      stderr: `qemu-system-x86_64: -netdev stream,id=n0,server=on,addr.type=unix,addr.path=${dir}/n0.sock,reconnect=1: Parameter 'reconnect' is unexpected\n`,
    });
    expect(existsSync(qmpPath)).toBe(false);
  });

  it('says why when the QMP socket path is unwritable or busy', async () => {
    expect(run(['-qmp', 'unix:/nonexistent-dir/q.sock,server=on,wait=off'])).toEqual({
      status: 1,
      stderr: 'qemu-system-x86_64: -qmp unix:/nonexistent-dir/q.sock,server=on,wait=off: Failed to bind socket to /nonexistent-dir/q.sock: No such file or directory\n',
    });
    const dir = tempDir();
    const busy = join(dir, 'busy.sock');
    const other = net.createServer().listen(busy);
    await new Promise((r) => other.once('listening', r));
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, [BIN, 'qemu', '-qmp', `unix:${busy},server=on,wait=off`], { cwd: ROOT });
      let err = '';
      c.stderr.on('data', (t: Buffer) => (err += t.toString()));
      c.on('exit', (status) => resolve({ status, stderr: err }));
    });
    other.close();
    expect(r).toEqual({
      status: 1,
      stderr: `qemu-system-x86_64: -qmp unix:${busy},server=on,wait=off: socket path ${busy} is in use by another process\n`,
    });
    const port = await new Promise<net.Server>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    const p = (port.address() as net.AddressInfo).port;
    const tcp = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, [BIN, 'qemu', '-qmp', `tcp:127.0.0.1:${p},server=on,wait=off`], { cwd: ROOT });
      let err = '';
      c.stderr.on('data', (t: Buffer) => (err += t.toString()));
      c.on('exit', (status) => resolve({ status, stderr: err }));
    });
    port.close();
    expect(tcp).toEqual({
      status: 1,
      stderr: `qemu-system-x86_64: -qmp tcp:127.0.0.1:${p},server=on,wait=off: Failed to find an available port: Address already in use\n`,
    });
  });

  it('removes its socket files on SIGINT', async () => {
    const dir = tempDir();
    const qmpPath = join(dir, 'qmp.sock');
    const nd = join(dir, 'n0.sock');
    const q = standIn(['-qmp', `unix:${qmpPath},server=on,wait=off`, '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${nd}`]);
    const client = await qmpClient(qmpPath);
    expect(existsSync(nd)).toBe(true);
    q.child.kill('SIGINT');
    expect(await q.exited).toBe(0);
    await client.waitFor((m) => m.event === 'SHUTDOWN');
    expect(existsSync(nd)).toBe(false);
    expect(existsSync(qmpPath)).toBe(false);
  });
});

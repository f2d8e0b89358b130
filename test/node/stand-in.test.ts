/**
 * netdev-sim qemu with real programs: socat as the peer, a real QMP client,
 * bad options, busy and unwritable socket paths, and clean shutdown.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';
import { BIN, cleanUp, qmpConnect, ROOT, run as start, standIn, tempDir, waitFor, waitForPath } from '../support/standin.ts';

afterEach(cleanUp);

/** A QMP client on the stand-in's socket, past negotiation. */
async function qmpClient(path: string) {
  await waitForPath(path);
  return (await qmpConnect(path)).negotiate();
}

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
    await client.waitMsg((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
    expect(client.events()).toEqual([
      ['NETDEV_STREAM_CONNECTED', { 'netdev-id': 'n0', addr: { path: nd, type: 'unix' } }],
      ['NETDEV_STREAM_DISCONNECTED', { 'netdev-id': 'n0' }],
    ]);
    client.send({ execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } });
    await client.waitMsg((m) => m.return === 'n0: index=0,type=stream,listening\r\n');
    client.send({ execute: 'quit' });
    expect((await q.exited).code).toBe(0);
    expect(existsSync(nd)).toBe(false);
    expect(existsSync(qmpPath)).toBe(false);
  });

  it('connects out to a socat listener and reconnects after socat restarts', async () => {
    const dir = tempDir();
    const qmpPath = join(dir, 'qmp.sock');
    const peer = join(dir, 'peer.sock');
    const q = standIn(['-qmp', `unix:${qmpPath},server=on,wait=off`, '--release', '10.0']);
    const client = await qmpClient(qmpPath);
    const listen = () => start('socat', ['-u', `UNIX-LISTEN:${peer},unlink-early`, 'OPEN:/dev/null']).child;
    let socat = listen();
    for (let i = 0; i < 200 && !existsSync(peer); i++) await new Promise((r) => setTimeout(r, 10));
    client.send({ execute: 'netdev_add', arguments: { id: 'c0', type: 'stream', addr: { type: 'unix', path: peer }, 'reconnect-ms': 200 } });
    await client.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    socat.kill('SIGTERM');
    await client.waitMsg((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
    socat = listen();
    await waitFor(() => client.events().filter((e) => e[0] === 'NETDEV_STREAM_CONNECTED').length === 2, 10_000, 'the second NETDEV_STREAM_CONNECTED');
    expect(client.events().map((e) => e[0])).toEqual([
      'NETDEV_STREAM_CONNECTED',
      'NETDEV_STREAM_DISCONNECTED',
      'NETDEV_STREAM_CONNECTED',
    ]);
    q.child.kill('SIGTERM');
    expect((await q.exited).code).toBe(0);
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
  /** The same, without blocking this process (it holds a socket the stand-in looks at). */
  const exitOf = async (args: string[]) => {
    const q = standIn(args);
    const { code } = await q.exited;
    return { status: code, stderr: q.stderr() };
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
    const r = await exitOf(['-qmp', `unix:${busy},server=on,wait=off`]);
    other.close();
    expect(r).toEqual({
      status: 1,
      stderr: `qemu-system-x86_64: -qmp unix:${busy},server=on,wait=off: socket path ${busy} is in use by another process\n`,
    });
    const port = await new Promise<net.Server>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    const p = (port.address() as net.AddressInfo).port;
    const tcp = await exitOf(['-qmp', `tcp:127.0.0.1:${p},server=on,wait=off`]);
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
    expect((await q.exited).code).toBe(0);
    await client.waitMsg((m) => m.event === 'SHUTDOWN');
    expect(existsSync(nd)).toBe(false);
    expect(existsSync(qmpPath)).toBe(false);
  });
});

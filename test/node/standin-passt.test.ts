/**
 * netdev-sim qemu with the real passt (Debian package `passt`) as the
 * peer of a client netdev, the way libvirt uses them: passt dies, QEMU
 * reports NETDEV_STREAM_DISCONNECTED, a new passt on the same path gets
 * CONNECTED again, through reconnect-ms (10.0) or, on 7.2 which has no
 * reconnect, netdev_del and netdev_add. No frames are sent to passt.
 * Started as root, passt changes to the user nobody, so its socket's
 * directory is made writable for everyone (sticky, as /tmp).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, qmpConnect, run, standIn, tempDir, waitForPath } from '../support/standin.ts';

afterEach(cleanUp);

function startPasst(sock: string) {
  if (existsSync(sock)) rmSync(sock);
  const p = run('passt', ['--foreground', '--socket', sock]);
  return p;
}

async function setup(release: string) {
  expect(spawnSync('passt', ['--version']).status, 'passt must be installed (Debian package passt)').toBe(0);
  const dir = tempDir('nsp-');
  chmodSync(dir, 0o1777);
  const qmp = join(dir, 'qmp.sock');
  const sock = join(dir, 'passt.sock');
  const q = standIn(['-M', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${qmp},server=on,wait=off`, '--release', release]);
  await waitForPath(qmp);
  const c = await (await qmpConnect(qmp)).negotiate();
  return { dir, qmp, sock, q, c };
}

const connected = (c: Awaited<ReturnType<typeof qmpConnect>>) => c.lines.filter((l) => l.msg.event === 'NETDEV_STREAM_CONNECTED').length;

describe('netdev-sim qemu with a real passt', () => {
  it('10.0, reconnect-ms: passt killed gives DISCONNECTED, a new passt on the same path CONNECTED again', async () => {
    const { sock, c, q } = await setup('10.0');
    let passt = startPasst(sock);
    await waitForPath(sock);
    expect(await c.command('netdev_add', { id: 'hostnet0', type: 'stream', server: false, addr: { type: 'unix', path: sock }, 'reconnect-ms': 200 })).toEqual({ return: {} });
    const first = await c.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    expect(first.data).toEqual({ 'netdev-id': 'hostnet0', addr: { path: sock, type: 'unix' } });
    passt.child.kill('SIGKILL');
    await passt.exited;
    await c.waitMsg((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
    expect(await c.command('human-monitor-command', { 'command-line': 'info network' })).toEqual({ return: 'hostnet0: index=0,type=stream,connecting\r\n' });
    passt = startPasst(sock);
    await c.waitMsg(() => connected(c) === 2, 10_000);
    expect(c.events().map(([e]) => e)).toEqual(['NETDEV_STREAM_CONNECTED', 'NETDEV_STREAM_DISCONNECTED', 'NETDEV_STREAM_CONNECTED']);
    expect(await c.command('human-monitor-command', { 'command-line': 'info network' })).toEqual({ return: `hostnet0: index=0,type=stream,unix:${sock}\r\n` });
    c.send({ execute: 'quit' });
    expect((await q.exited).code).toBe(0);
    passt.child.kill('SIGTERM');
  });

  it('7.2, no reconnect: passt killed gives DISCONNECTED and an empty info string; netdev_del and netdev_add reach the new passt', async () => {
    const { sock, c, q } = await setup('7.2');
    let passt = startPasst(sock);
    await waitForPath(sock);
    const add = { id: 'n0', type: 'stream', server: false, addr: { type: 'unix', path: sock } };
    expect(await c.command('netdev_add', add)).toEqual({ return: {} });
    await c.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    passt.child.kill('SIGKILL');
    await passt.exited;
    await c.waitMsg((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
    expect(await c.command('human-monitor-command', { 'command-line': 'info network' })).toEqual({ return: 'n0: index=0,type=stream,\r\n' });
    passt = startPasst(sock);
    await waitForPath(sock);
    expect(await c.command('netdev_del', { id: 'n0' })).toEqual({ return: {} });
    expect(await c.command('netdev_add', add)).toEqual({ return: {} });
    await c.waitMsg(() => connected(c) === 2, 10_000);
    expect(c.events()).toEqual([
      ['NETDEV_STREAM_CONNECTED', { 'netdev-id': 'n0', addr: { path: sock, type: 'unix' } }],
      ['NETDEV_STREAM_DISCONNECTED', { 'netdev-id': 'n0' }],
      ['NETDEV_STREAM_CONNECTED', { 'netdev-id': 'n0', addr: { path: sock, type: 'unix' } }],
    ]);
    c.send({ execute: 'quit' });
    expect((await q.exited).code).toBe(0);
    passt.child.kill('SIGTERM');
  });
});

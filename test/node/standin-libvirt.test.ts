/**
 * netdev-sim qemu takes the command line libvirt gives QEMU: no -qmp but
 * a socket chardev with a QMP monitor on it (several allowed), a pid file,
 * -daemonize, -no-shutdown, -S, -name, -uuid and -msg timestamp=on, with
 * QEMU's effects (messages and refusals checked on QEMU 7.2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, BIN, cleanUp, qmpConnect, ROOT, run, standIn, tempDir, waitFor, waitForPath } from '../support/standin.ts';

afterEach(cleanUp);

const qemu = (args: string[]) => spawnSync(process.execPath, [BIN, 'qemu', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });

/** What libvirt passes for a domain with one passt-backed interface, trimmed to what the stand-in models. */
function libvirtArgs(dir: string, extra: string[] = []) {
  return [
    '-name', 'guest=vm1,debug-threads=on', '-S', '-msg', 'timestamp=on', '-uuid', 'c7a5fdbd-cdaf-9455-926a-d65c16db1809',
    '-no-user-config', '-nodefaults', '-machine', 'none', '-display', 'none',
    '-chardev', `socket,id=charmonitor,path=${dir}/monitor.sock,server=on,wait=off`,
    '-mon', 'chardev=charmonitor,id=monitor,mode=control',
    '-pidfile', `${dir}/vm1.pid`, '-no-shutdown',
    '-netdev', `stream,id=hostnet0,server=on,addr.type=unix,addr.path=${dir}/n0.sock`,
    ...extra,
  ];
}

describe("libvirt's command line", () => {
  it('-daemonize: the parent exits 0 once QMP is ready; the daemon serves QMP and netdev events, keeps a locked pid file and removes it at quit', async () => {
    const dir = tempDir();
    const t = qemu(libvirtArgs(dir, ['-daemonize']));
    // As QEMU 7.2 with -daemonize: start-up messages still reach the caller's stderr.
    expect(t.status).toBe(0);
    expect(t.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]{15}Z qemu-system-x86_64: warning: netdev hostnet0 has no peer\n$/);
    // Ready when the parent returned: no waiting for the socket.
    expect(existsSync(`${dir}/monitor.sock`)).toBe(true);
    const pid = Number(readFileSync(`${dir}/vm1.pid`, 'utf8'));
    expect(readFileSync(`${dir}/vm1.pid`, 'utf8')).toBe(`${pid}\n`);
    try {
      expect(alive(pid)).toBe(true);
      expect(readlinkSync(`/proc/${pid}/cwd`)).toBe('/');
      // A second QEMU with the same pid file is refused, as QEMU refuses it.
      const second = qemu(['-qmp', `unix:${dir}/other.sock,server=on,wait=off`, '-pidfile', `${dir}/vm1.pid`]);
      expect({ status: second.status, stderr: second.stderr }).toEqual({
        status: 1,
        stderr: 'qemu-system-x86_64: cannot create PID file: Cannot lock pid file: Resource temporarily unavailable\n',
      });
      const c = await (await qmpConnect(`${dir}/monitor.sock`)).negotiate();
      const peer = net.connect(`${dir}/n0.sock`);
      const ev = await c.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
      expect(ev.data).toEqual({ 'netdev-id': 'hostnet0', addr: { path: `${dir}/n0.sock`, type: 'unix' } });
      peer.destroy();
      await c.waitMsg((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
      c.send({ execute: 'quit' });
      await waitFor(() => !alive(pid), 2000, 'the daemon to exit');
      expect([existsSync(`${dir}/monitor.sock`), existsSync(`${dir}/n0.sock`), existsSync(`${dir}/vm1.pid`)]).toEqual([false, false, false]);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('without -daemonize: stderr lines carry -msg timestamp=on as QEMU writes them, and two monitors both get events', async () => {
    const dir = tempDir();
    const q = standIn(libvirtArgs(dir, ['-chardev', `socket,id=second,path=${dir}/second.sock,server=on,wait=off`, '-mon', 'second,mode=control']));
    await waitForPath(`${dir}/second.sock`);
    const a = await (await qmpConnect(`${dir}/monitor.sock`)).negotiate();
    const b = await (await qmpConnect(`${dir}/second.sock`)).negotiate();
    const peer = net.connect(`${dir}/n0.sock`);
    await a.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    await b.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    peer.destroy();
    q.child.kill('SIGTERM');
    expect((await q.exited).code).toBe(0);
    const lines = q.stderr().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z qemu-system-x86_64: warning: netdev hostnet0 has no peer$/);
    expect(lines.at(-1)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z qemu-system-x86_64: terminating on signal 15 from pid \d+ \(.+\)$/);
  });

  it('refuses bad values in the words of QEMU 7.2', () => {
    const dir = tempDir();
    const err = (args: string[]) => {
      const r = qemu(args);
      return { status: r.status, stderr: r.stderr };
    };
    const mon = ['-chardev', `socket,id=c1,path=${dir}/c.sock,server=on,wait=off`];
    expect(err([...mon, '-mon', 'chardev=c1,mode=control', '-mon', 'chardev=c1,mode=control'])).toEqual({
      status: 1,
      stderr: "qemu-system-x86_64: -mon chardev=c1,mode=control: Device 'c1' is in use\n",
    });
    expect(err(['-mon', 'chardev=nope,mode=control'])).toEqual({ status: 1, stderr: 'qemu-system-x86_64: -mon chardev=nope,mode=control: chardev "nope" not found\n' });
    expect(err([...mon, '-chardev', `socket,id=c1,path=${dir}/d.sock,server=on,wait=off`])).toEqual({
      status: 1,
      stderr: `qemu-system-x86_64: -chardev socket,id=c1,path=${dir}/d.sock,server=on,wait=off: Duplicate ID 'c1' for chardev\n`,
    });
    expect(err(['-chardev', `socket,path=${dir}/c.sock,server=on,wait=off`]).stderr).toBe(
      `qemu-system-x86_64: -chardev socket,path=${dir}/c.sock,server=on,wait=off: chardev: no id specified\n`,
    );
    expect(err(['-chardev', 'sockett,id=c1']).stderr).toBe("qemu-system-x86_64: -chardev sockett,id=c1: 'sockett' is not a valid char driver name\n");
    expect(err(['-uuid', 'xyz']).stderr).toBe('qemu-system-x86_64: -uuid xyz: failed to parse UUID string: wrong format\n');
    expect(err(['-msg', 'timestamp=on', '-uuid', 'xyz']).stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]{15}Z qemu-system-x86_64: -uuid xyz: failed to parse UUID string: wrong format\n$/);
    expect(err(['-name', 'guest=vm1,foo=bar']).stderr).toBe("qemu-system-x86_64: -name guest=vm1,foo=bar: Invalid parameter 'foo'\n");
    expect(err(['-msg', 'timestamp=maybe']).stderr).toBe("qemu-system-x86_64: -msg timestamp=maybe: Parameter 'timestamp' expects 'on' or 'off'\n");
    expect(err(['-msg', 'timestamp=on', '-foo']).stderr).toBe('qemu-system-x86_64: -foo: invalid option\n');
    expect(err(['-pidfile', '/nonexistent-dir/q.pid', '-qmp', `unix:${dir}/q.sock,server=on,wait=off`]).stderr).toBe(
      "qemu-system-x86_64: cannot create PID file: Could not create '/nonexistent-dir/q.pid': No such file or directory\n",
    );
  });

  it('with -daemonize a start-up failure is reported by the parent with status 1', () => {
    const dir = tempDir();
    const r = qemu(['-daemonize', '-qmp', `unix:${dir}/q.sock,server=on,wait=off`, '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${dir}/n.sock,reconnect=1`]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 1,
      stderr: `qemu-system-x86_64: -netdev stream,id=n0,server=on,addr.type=unix,addr.path=${dir}/n.sock,reconnect=1: Parameter 'reconnect' is unexpected\n`,
    });
  });
});

export { run };

describe('without the native helper', () => {
  it('says so once on stderr and still serves QMP, on Node accept-all sockets', async () => {
    const dir = tempDir();
    const q = standIn(['-qmp', `unix:${dir}/q.sock,server=on,wait=off`, '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${dir}/n0.sock`], {
      env: { ...process.env, NETDEV_SIM_NATIVE: 'off' },
    });
    await waitForPath(`${dir}/q.sock`);
    const c = await (await qmpConnect(`${dir}/q.sock`)).negotiate();
    await waitForPath(`${dir}/n0.sock`);
    const peer = net.connect(`${dir}/n0.sock`);
    await c.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    peer.destroy();
    c.send({ execute: 'quit' });
    expect((await q.exited).code).toBe(0);
    const warnings = q.stderr().split('\n').filter((l) => l.includes('native helper unavailable'));
    expect(warnings).toEqual([
      'netdev-sim: warning: native helper unavailable (NETDEV_SIM_NATIVE=off); listening sockets accept every connection at once (no backlog refusals), the pid file is not locked and signal senders are unknown',
    ]);
  });
});

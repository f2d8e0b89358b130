/**
 * The recorder's pieces that need no QEMU: reading the --qemu command,
 * moving a scenario's paths and ports somewhere private and back, and
 * reading a build from a greeting or from `--version`.
 */
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommand, splitWords } from '../../src/node/recorder/command.ts';
import { buildFromGreeting, buildFromVersionText } from '../../src/node/recorder/record.ts';
import { makeRemap } from '../../src/node/recorder/remap.ts';

describe('the --qemu command', () => {
  it('splits words like a shell, quotes included', () => {
    expect(splitWords(`chroot /srv/sid  qemu-system-x86_64`)).toEqual(['chroot', '/srv/sid', 'qemu-system-x86_64']);
    expect(splitWords(`'/opt/my qemu/bin/qemu' -L "a b" c\\ d`)).toEqual(['/opt/my qemu/bin/qemu', '-L', 'a b', 'c d']);
  });

  it('knows a chroot and its new root', () => {
    expect(parseCommand('chroot /srv/sid qemu-system-x86_64').chrootRoot).toBe('/srv/sid');
    expect(parseCommand('/usr/sbin/chroot --userspec=0:0 /srv/trixie qemu-system-x86_64').chrootRoot).toBe('/srv/trixie');
    expect(parseCommand('npx netdev-sim qemu --release 7.2').chrootRoot).toBeNull();
  });

  it('refuses an empty command and an open quote with a clear message', () => {
    expect(() => parseCommand('  ')).toThrow('--qemu: give the QEMU program');
    expect(() => parseCommand(`qemu 'x`)).toThrow("--qemu: unterminated ' quote");
  });
});

describe('private paths and ports', () => {
  const scenario = {
    netdevs: [{ id: 'n0', addr: { type: 'unix', path: '/tmp/sim/n0.sock' } }],
    steps: [
      { peer: 'a', listen: { type: 'unix', path: '/run/libvirt/qemu/passt/1-vm-net0.socket' } },
      { peer: 'b', listen: { type: 'inet', host: '127.0.0.1', port: '47001' } },
      { peer: 'c', connect: { type: 'inet', host: '127.0.0.1', port: '70000' } },
      { peer: 'a', send: '4700147001' },
    ],
  };

  it('gives each directory a fresh one of the same length and each port a free one', async () => {
    const r = await makeRemap(scenario);
    try {
      expect(r.dirs.map((d) => d.from).sort()).toEqual(['/run/libvirt/qemu/passt', '/tmp/sim']);
      for (const d of r.dirs) {
        expect(d.to.length).toBe(d.from.length);
        expect(statSync(d.to).isDirectory()).toBe(true);
      }
      const f = r.forward(scenario);
      expect(f.netdevs[0]!.addr.path).toBe(`${r.simDir}/n0.sock`);
      const port = (f.steps[1] as { listen: { port: string } }).listen.port;
      expect(port).not.toBe('47001');
      // Above 65535 stays above it, so QEMU's modulo still applies.
      expect(Number((f.steps[2] as { connect: { port: string } }).connect.port)).toBeGreaterThan(65535);
      // Frame bytes are not addresses.
      expect((f.steps[3] as { send: string }).send).toBe('4700147001');
      const back = r.back({
        msg: { return: `n0: index=0,type=stream,tcp:127.0.0.1:${port}\r\n`, path: `${r.simDir}/n0.sock`, port },
      });
      expect(back).toEqual({ msg: { return: 'n0: index=0,type=stream,tcp:127.0.0.1:47001\r\n', path: '/tmp/sim/n0.sock', port: '47001' } });
    } finally {
      r.remove();
    }
    for (const d of r.dirs) expect(existsSync(d.to)).toBe(false);
  });
});

describe('port ranges', () => {
  it('move as a block, `to` included, and come back', async () => {
    const sc = { steps: [{ qmp: { arguments: { addr: { type: 'inet', host: '127.0.0.1', port: '47090', to: 47092 } } } }, { peer: 'p', listen: { type: 'inet', host: '127.0.0.1', port: '47091' } }] };
    const r = await makeRemap(sc);
    try {
      const f = r.forward(sc);
      const addr = f.steps[0]!.qmp!.arguments.addr;
      expect(addr.to - Number(addr.port)).toBe(2);
      expect(Number((f.steps[1] as { listen: { port: string } }).listen.port)).toBe(Number(addr.port) + 1);
      expect(r.back(f)).toEqual(sc);
    } finally {
      r.remove();
    }
  });
});

describe('the build QEMU reports', () => {
  it('comes from the greeting', () => {
    const greeting = { QMP: { version: { qemu: { micro: 3, minor: 1, major: 11 }, package: 'Debian 1:11.1.3+ds-1' }, capabilities: ['oob'] } };
    expect(buildFromGreeting(greeting)).toEqual({ release: '11.1', version: '11.1.3', package: 'Debian 1:11.1.3+ds-1' });
    expect(buildFromGreeting({ return: {} })).toBeNull();
  });

  it('or from --version when QEMU never greeted', () => {
    expect(buildFromVersionText('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright ...')).toEqual({
      release: '7.2',
      version: '7.2.22',
      package: 'Debian 1:7.2+dfsg-7+deb12u18+b3',
    });
    expect(buildFromVersionText('qemu-system-x86_64: --version: invalid option')).toBeNull();
  });
});

/** The README's example of testing management software runs as written. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('README, "Testing management software"', () => {
  it('shows the example script and the command that starts the stand-in', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('examples/restart-passt.py');
    expect(readme).toContain('npx netdev-sim qemu -M none -nodefaults -display none');
  });

  it('restarts passt and sees QEMU reconnect, against netdev-sim qemu', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    const qmp = join(dir, 'qmp.sock');
    const qemu = spawn(
      process.execPath,
      [join(ROOT, 'bin/netdev-sim.mjs'), 'qemu', '-M', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${qmp},server=on,wait=off`, '--release', '10.0'],
      { cwd: ROOT, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((r) => qemu.on('exit', (c) => r(c)));
    try {
      for (let i = 0; i < 300 && !existsSync(qmp); i++) await new Promise((r) => setTimeout(r, 20));
      const r = spawnSync('python3', [join(ROOT, 'examples/restart-passt.py'), qmp, join(dir, 'passt.sock')], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean)).toEqual([
        `connected: {'netdev-id': 'hostnet0', 'addr': {'path': '${dir}/passt.sock', 'type': 'unix'}}`,
        "disconnected: {'netdev-id': 'hostnet0'}",
        `reconnected: {'netdev-id': 'hostnet0', 'addr': {'path': '${dir}/passt.sock', 'type': 'unix'}}`,
        `hostnet0: index=0,type=stream,unix:${dir}/passt.sock`,
      ]);
      expect(await exited).toBe(0);
    } finally {
      if (qemu.exitCode === null) qemu.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

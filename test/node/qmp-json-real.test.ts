/**
 * The JSON table (test/support/qmp-json-table.ts) holds what real QEMU 7.2
 * answered. Replayed here against the qemu-system-x86_64 on this machine
 * (Debian 12's 7.2, which npm test installs) it confirms the table, and
 * against netdev-sim qemu on a real socket it shows the stand-in answers
 * the same.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCase } from '../support/qmp-json-probe.ts';
import { expectedLines, JSON_CASES } from '../support/qmp-json-table.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

async function startOn(cmd: string, args: string[], path: string): Promise<ChildProcess> {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 500 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
  if (!existsSync(path)) throw new Error(`${cmd} did not create ${path}`);
  return child;
}

for (const target of ['QEMU 7.2', 'netdev-sim qemu --release 7.2'] as const) {
  describe(`${target} answers the JSON table`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsj-'));
    const path = join(dir, 'qmp.sock');
    let child: ChildProcess | null = null;
    beforeAll(async () => {
      const qmp = ['-qmp', `unix:${path},server=on,wait=off`];
      if (target === 'QEMU 7.2') {
        const v = spawnSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' });
        expect(v.stdout, 'qemu-system-x86_64 7.2 must be installed (Debian 12 package qemu-system-x86)').toMatch(/version 7\.2\./);
        child = await startOn('qemu-system-x86_64', ['-M', 'none', '-nodefaults', '-display', 'none', ...qmp], path);
      } else {
        child = await startOn(process.execPath, [join(ROOT, 'bin/netdev-sim.mjs'), 'qemu', '--release', '7.2', ...qmp], path);
      }
    });
    afterAll(() => {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });
    for (const c of JSON_CASES) {
      it(c.name, async () => {
        expect(await probeCase(path, c)).toEqual(expectedLines(c.qemu72));
      });
    }
  });
}

/**
 * npm test's set-up step installs the Debian packages the tests need, with
 * fake `apt-get` and `dpkg-query` on PATH: the missing packages in one
 * apt-get install, none that are there, and without root no install at all
 * but one message with the command to run.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureTestPackages, TEST_PACKAGES, type EnsureResult } from '../../scripts/system-packages.mjs';

const ALL = TEST_PACKAGES.map((p) => p.name);

/** The message of a run that stopped; '' for one that went on. */
const messageOf = (r: EnsureResult) => (r.ok ? '' : r.message);

let dir = '';
let bin = '';
const installedFile = () => join(dir, 'installed');
const aptLog = () => join(dir, 'apt-get.log');

/** A fake dpkg-query that knows the packages in `installed`, and a fake apt-get that adds to it. */
function fakeTools(withApt: boolean) {
  writeFileSync(
    join(bin, 'dpkg-query'),
    `#!/bin/sh
# dpkg-query -W -f=FORMAT PKG...: one line per installed package
status=0
shift 2
for p in "$@"; do
  if grep -qx "$p" "${installedFile()}"; then echo "$p install ok installed"; else echo "dpkg-query: no packages found matching $p" >&2; status=1; fi
done
exit $status
`,
  );
  chmodSync(join(bin, 'dpkg-query'), 0o755);
  if (withApt) {
    writeFileSync(
      join(bin, 'apt-get'),
      `#!/bin/sh
echo "$*" >> "${aptLog()}"
if [ "$1" = install ]; then
  for a in "$@"; do case "$a" in install|-*) ;; *) echo "$a" >> "${installedFile()}";; esac; done
fi
exit 0
`,
    );
    chmodSync(join(bin, 'apt-get'), 0o755);
  }
}

function run(installed: string[], isRoot: boolean) {
  writeFileSync(installedFile(), installed.map((p) => `${p}\n`).join(''));
  const logged: string[] = [];
  // PATH is the fake tools' folder alone, so the real apt-get can never run.
  const result = ensureTestPackages({ env: { PATH: bin }, isRoot, log: (l) => logged.push(l) });
  const calls = existsSync(aptLog()) ? readFileSync(aptLog(), 'utf8').trim().split('\n') : [];
  return { result, calls, logged: logged.join('\n') };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nsl-pkgs-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  // The shell the step uses to look commands up, and grep for the fake dpkg-query.
  symlinkSync('/bin/sh', join(bin, 'sh'));
  symlinkSync('/bin/grep', join(bin, 'grep'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the Debian packages step of npm test', () => {
  it('lists chromium, socat, passt and qemu-system-x86', () => {
    expect(ALL).toEqual(expect.arrayContaining(['chromium', 'socat', 'passt', 'qemu-system-x86']));
  });

  it('installs the missing packages in one apt-get install, and says which', () => {
    fakeTools(true);
    const { result, calls, logged } = run(['chromium', 'qemu-system-x86'], true);
    expect(result).toEqual({ ok: true, installed: ['socat', 'passt'] });
    const installs = calls.filter((c) => c.startsWith('install'));
    expect(installs).toEqual(['install -y -qq --no-install-recommends socat passt']);
    expect(logged).toContain('socat');
    expect(logged).toContain('passt');
    expect(logged).not.toContain('chromium');
  });

  it('calls apt-get not at all when everything is there', () => {
    fakeTools(true);
    const { result, calls } = run(ALL, true);
    expect(result).toEqual({ ok: true, installed: [] });
    expect(calls).toEqual([]);
  });

  it('without root installs nothing and stops with the command to run', () => {
    fakeTools(true);
    const { result, calls } = run(['chromium'], false);
    expect(result.ok).toBe(false);
    expect(calls).toEqual([]);
    expect(messageOf(result)).toContain('sudo apt-get install -y --no-install-recommends socat passt qemu-system-x86');
    expect(messageOf(result)).toContain('needs root');
  });

  it('without apt-get stops with the command to run', () => {
    fakeTools(false);
    const { result } = run(['chromium', 'socat', 'passt'], true);
    expect(result.ok).toBe(false);
    expect(messageOf(result)).toContain('apt-get install -y --no-install-recommends qemu-system-x86');
  });

  it('fails when apt-get leaves a package missing', () => {
    fakeTools(true);
    writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\necho "$*" >> "${aptLog()}"\nexit 100\n`);
    const { result } = run(['chromium', 'socat', 'passt'], true);
    expect(result.ok).toBe(false);
    expect(messageOf(result)).toContain('still missing: qemu-system-x86');
  });
});

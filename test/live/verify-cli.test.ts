/**
 * `netdev-sim record` and `netdev-sim verify` as a user runs them, against
 * the QEMU 7.2 installed here and against the stand-in: what they print,
 * their exit status, the one-line form of a QEMU that refuses to start,
 * and a difference reported as a unified diff with exit status 1.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/netdev-sim.mjs');
const CONF = join(ROOT, 'content/conformance');

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const quitScenarios = ['50-quit-server-listening', '51-quit-while-connected', '52-quit-then-more-steps'].map((n) =>
  join(CONF, 'scenarios', `${n}@7.2.json`),
);

describe('netdev-sim verify and record on real QEMU 7.2', { concurrent: true }, () => {
  it('verify prints one line per scenario and a summary, and exits 0 when the engine matches every run', async () => {
    const r = await cli(['verify', '--qemu', 'qemu-system-x86_64', '--runs', '2', ...quitScenarios]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 3).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'same 50-quit-server-listening@7.2',
      'same 51-quit-while-connected@7.2',
      'same 52-quit-then-more-steps@7.2',
    ]);
    expect(lines[0]).toContain('(QEMU 7.2.');
    expect(lines[lines.length - 1]).toMatch(/^3 scenarios in [\d.]+ s: 3 same, 0 differs$/);
    expect(r.status).toBe(0);
  });

  it('verify exits 1 with a unified diff when the engine and QEMU disagree', async () => {
    // A "QEMU" that drops the scenario's -netdev options: the engine still
    // models n0, so info network differs.
    const dir = mkdtempSync(join(tmpdir(), 'nsl-diff-'));
    const fake = join(dir, 'qemu-without-netdevs');
    writeFileSync(
      fake,
      '#!/bin/sh\nfor a; do shift; if [ "$skip" ]; then skip=; continue; fi; [ "$a" = -netdev ] && { skip=1; continue; }; set -- "$@" "$a"; done\nexec qemu-system-x86_64 "$@"\n',
    );
    chmodSync(fake, 0o755);
    const r = await cli(['verify', '--qemu', fake, '--runs', '1', quitScenarios[0]!]);
    expect(r.status).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(/^differs\s+50-quit-server-listening@7.2 /m);
    expect(out).toContain('--- engine (QEMU 7.2 model)');
    expect(out).toContain('+++ QEMU 7.2.');
    expect(out).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    expect(out).toContain('-{"dir":"<-","msg":{"return":"n0: index=0,type=stream,\\n"}}');
    expect(out).toContain('+{"dir":"<-","msg":{"return":""}}');
    expect(out).toContain('-stderr: qemu-system-x86_64: warning: netdev n0 has no peer');
    expect(out.trim().split('\n').at(-1)).toMatch(/: 0 same, 1 differs$/);
  });

  it('record gives the one-line form, as stored, for a QEMU that refuses to start', async () => {
    const r = await cli(['record', '--qemu', 'qemu-system-x86_64', join(CONF, 'scenarios/30-cmdline-invalid-reconnect.json')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(CONF, '7.2/30-cmdline-invalid-reconnect.jsonl'), 'utf8'));
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe(readFileSync(join(CONF, '7.2/30-cmdline-invalid-reconnect.stderr.txt'), 'utf8'));
  });

  it('record -o writes the transcript and its stderr sidecar, and names the build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsl-rec-'));
    const out = join(dir, 'quit.jsonl');
    const r = await cli(['record', '--qemu', 'qemu-system-x86_64', quitScenarios[1]!, '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^netdev-sim: recorded QEMU 7\.2\.\d+ \(Debian [^)]*\): /);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const msgs = lines.map((l) => (l.dir === '<-' ? (l.msg as Record<string, unknown>) : undefined));
    const shutdown = msgs.findIndex((m) => m?.event === 'SHUTDOWN');
    const reply = msgs.findIndex((m) => m?.id === 'bye');
    expect(shutdown).toBeGreaterThan(0);
    expect(reply).toBe(shutdown + 1);
    expect(lines.at(-1)).toEqual({ exit: 0 });
    expect(readFileSync(join(dir, 'quit.stderr.txt'), 'utf8')).toBe('qemu-system-x86_64: warning: netdev n0 has no peer\n');
  });

  it('checks the stand-in against the engine with the same command', async () => {
    const standIn = `'${process.execPath}' '${BIN}' qemu --release 7.2`;
    const r = await cli([
      'verify',
      '--qemu',
      standIn,
      '--runs',
      '1',
      ...quitScenarios,
      join(CONF, 'scenarios/02-server-unix-two-clients-backlog.json'),
      join(CONF, 'scenarios/30-cmdline-invalid-reconnect.json'),
    ]);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^5 scenarios in [\d.]+ s: 4 same, 0 differs, 1 QEMU refused$/);
    expect(r.stdout).toMatch(/^QEMU refused\s+30-cmdline-invalid-reconnect\s+\(QEMU 7\.2\.22/m);
    expect(r.status).toBe(0);
  });
});

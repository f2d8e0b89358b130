// The input visitor against real QEMU: every command recorded in
// content/conformance is replayed through visitCommandArguments, and every
// -netdev option through parseKeyval + visitInput, with the release the
// recording was made with.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKeyval, releaseCond, toDottedOptions, visitCommandArguments, visitInput } from '../../src/qapi/index.ts';
import { projectSchema, repoRoot } from './helpers.ts';

const conformance = join(repoRoot, 'content', 'conformance');
const VERSIONS = ['7.2', '10.0', '11.1'];
// What the Debian x86-64 builds that were recorded have (11.1 accepted
// keep-alive-count in recording 108, so the TCP_KEEP* options are built in).
const BUILD = { CONFIG_LINUX: true, HAVE_IPPROTO_MPTCP: true, HAVE_TCP_KEEPCNT: true, HAVE_TCP_KEEPIDLE: true, HAVE_TCP_KEEPINTVL: true };

/**
 * Errors the QAPI input visitor raises, as opposed to the command's own
 * checks ("expects an identifier" from netdev_add, "expects a CPU number"
 * from human-monitor-command's cpu-index).
 */
const VISITOR_ERROR = /^(Parameter '[^']*' (is missing|is unexpected|does not accept value '.*'|expects (?!an identifier|a CPU number).*)|Parameters '.*' are unexpected|Invalid parameter type for .*)$/;

interface Exchange {
  file: string;
  execute: string;
  args: unknown;
  reply: { return?: unknown; error?: { class: string; desc: string } };
}

function exchanges(version: string): Exchange[] {
  const out: Exchange[] = [];
  for (const file of readdirSync(join(conformance, version)).filter((f) => f.endsWith('.jsonl'))) {
    const msgs = readFileSync(join(conformance, version, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { dir?: string; msg?: Record<string, unknown> });
    let pending: { execute: string; args: unknown } | null = null;
    for (const m of msgs) {
      if (m.dir === '->' && m.msg && typeof m.msg['execute'] === 'string') {
        pending = { execute: m.msg['execute'], args: m.msg['arguments'] };
      } else if (m.dir === '<-' && pending && m.msg && ('return' in m.msg || 'error' in m.msg)) {
        out.push({ file, ...pending, reply: m.msg });
        pending = null;
      }
    }
  }
  return out;
}

describe.each(VERSIONS)('QMP arguments recorded from QEMU %s', (version) => {
  const cond = releaseCond(version, BUILD);
  const recorded = exchanges(version);

  it('covers netdev_add calls refused by the schema and accepted by it', () => {
    const adds = recorded.filter((e) => e.execute === 'netdev_add');
    expect(adds.some((e) => e.reply.error && VISITOR_ERROR.test(e.reply.error.desc))).toBe(true);
    expect(adds.some((e) => 'return' in e.reply)).toBe(true);
  });

  it('gives the recorded error text for every argument QEMU refused while visiting', () => {
    const refused = recorded.filter((e) => e.reply.error && VISITOR_ERROR.test(e.reply.error.desc));
    for (const e of refused) {
      const r = visitCommandArguments(projectSchema(), e.execute, e.args, { cond });
      expect({ file: e.file, args: e.args, error: r.ok ? null : r.error }).toEqual({ file: e.file, args: e.args, error: e.reply.error!.desc });
    }
  });

  it('accepts the arguments of every other recorded command', () => {
    // Includes calls that failed later, in the command itself (Duplicate ID,
    // DeviceNotFound, "expects an identifier", reconnect rules).
    const others = recorded.filter((e) => !(e.reply.error && VISITOR_ERROR.test(e.reply.error.desc)));
    const known = new Set(projectSchema().definitions.filter((d) => d.meta === 'command').map((d) => d.name));
    for (const e of others.filter((x) => known.has(x.execute))) {
      const r = visitCommandArguments(projectSchema(), e.execute, e.args, { cond });
      expect({ file: e.file, args: e.args, ok: r.ok, error: r.ok ? null : r.error }).toEqual({ file: e.file, args: e.args, ok: true, error: null });
    }
  });
});

describe.each(VERSIONS)('-netdev options recorded from QEMU %s (scenario 30)', (version) => {
  const suffix = version === '7.2' ? '' : `@${version}`;
  const scenario = JSON.parse(readFileSync(join(conformance, 'scenarios', `30-cmdline-invalid-reconnect${suffix}.json`), 'utf8')) as {
    netdevs: Record<string, unknown>[];
  };
  const stderr = readFileSync(join(conformance, version, '30-cmdline-invalid-reconnect.stderr.txt'), 'utf8').split('\n')[0]!;
  const netdev = scenario.netdevs[0]!;
  const optarg = toDottedOptions(netdev);

  it('writes the netdev as the option string QEMU echoes', () => {
    expect(stderr.startsWith(`qemu-system-x86_64: -netdev ${optarg}: `)).toBe(true);
  });

  it('refuses or accepts the option as QEMU did while parsing it', () => {
    const parsed = parseKeyval(optarg, 'type');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = visitInput(projectSchema(), 'Netdev', parsed.value, { cond: releaseCond(version, BUILD), keyval: true });
    const message = stderr.slice(`qemu-system-x86_64: -netdev ${optarg}: `.length);
    if (version === '10.0') {
      // 10.0 knows reconnect; the recorded failure comes later, from the backend.
      expect(message).toBe("'reconnect' and 'reconnect-ms' options are incompatible with socket in server mode");
      expect(r).toEqual({ ok: true, value: { type: 'stream', id: 'n0', addr: { type: 'unix', path: '/tmp/sim/n0.sock' }, server: true, reconnect: 1 } });
    } else {
      expect(r).toEqual({ ok: false, error: message });
    }
  });
});

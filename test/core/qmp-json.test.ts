/**
 * The QMP reader and writer give QEMU's replies, byte for byte, for every
 * case of the table recorded from real QEMU 7.2 (test/support/qmp-json-table.ts),
 * and stay linear on a large message.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.ts';
import { inQemuOrder } from '../../src/core/qmp/qdict.ts';
import { QmpJsonStream, qemuJson } from '../../src/core/qmp/json-stream.ts';
import { percent17g } from '../../src/core/qmp/json-writer.ts';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { findRelease } from '../../src/core/releases.ts';
import { expectedLines, inputBytes, JSON_CASES } from '../support/qmp-json-table.ts';

function replies(bytes: Uint8Array, chunk = bytes.length): string[] {
  const engine = new Engine({ release: findRelease('7.2')!, checker: schemaChecker, epochSeconds: 0 });
  engine.monitor.greeting();
  engine.monitor.handle({ execute: 'qmp_capabilities' });
  const stream = new QmpJsonStream();
  const out: string[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    for (const item of stream.feed(bytes, at, Math.min(bytes.length, at + chunk))) {
      const reply = item.ok ? engine.monitor.handle(item.value) : inQemuOrder({ error: { class: 'GenericError', desc: item.error } });
      if (reply !== null) out.push(qemuJson(reply));
    }
  }
  return out;
}

describe("QMP input errors and output escaping are QEMU 7.2's", () => {
  for (const c of JSON_CASES) {
    it(c.name, () => {
      expect(replies(inputBytes(c.input))).toEqual(expectedLines(c.qemu72));
    });
  }

  it('gives the same replies whatever the chunks the input arrives in', () => {
    for (const c of JSON_CASES) {
      const bytes = inputBytes(c.input);
      if (bytes.length > 4096) continue;
      expect(replies(bytes, 1), c.name).toEqual(expectedLines(c.qemu72));
      expect(replies(bytes, 3), c.name).toEqual(expectedLines(c.qemu72));
    }
  });
});

describe('printf %.17g, as QEMU writes a double', () => {
  it.each([
    [0.1, '0.10000000000000001'],
    [100, '100'],
    [1e17, '1e+17'],
    [9.9999999999999995e-8, '9.9999999999999995e-08'],
    [0.0001, '0.0001'],
    [-1.5e300, '-1.5000000000000001e+300'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [123456789.125, '123456789.125'],
  ])('%s is written %s', (v, text) => {
    expect(percent17g(v)).toBe(text);
  });
});

describe("QEMU's limits on one message (json-streamer.c), on large input", () => {
  const run = (text: string | Uint8Array) => {
    const s = new QmpJsonStream();
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    const out = [];
    for (let at = 0; at < bytes.length; at += 1 << 16) out.push(...s.feed(bytes, at, Math.min(bytes.length, at + (1 << 16))));
    return out;
  };

  it('a string token over 64 MiB gives "JSON token size limit exceeded", and the next message is read', () => {
    const big = new Uint8Array(64 * 1024 * 1024 + 16).fill(0x78);
    big[0] = 0x22;
    const tail = new TextEncoder().encode('"\n{"execute":"query-version"}');
    const all = new Uint8Array(big.length + tail.length);
    all.set(big);
    all.set(tail, big.length);
    const items = run(all);
    expect(items[0]).toEqual({ ok: false, error: 'JSON token size limit exceeded' });
    expect(items.at(-1)).toEqual({ ok: true, value: { execute: 'query-version' } });
  });

  it('more than 2^21 tokens in one message gives "JSON token count limit exceeded"', () => {
    const items = run(`[${'1,'.repeat(1 << 21)}1]`);
    expect(items[0]).toEqual({ ok: false, error: 'JSON token count limit exceeded' });
  });

  it('a 10 MB string argument arrives whole', () => {
    const x = 'x'.repeat(10 * 1024 * 1024);
    const items = run(`{"execute":"query-version","arguments":{"x":"${x}"}}`);
    expect(items).toHaveLength(1);
    expect(((items[0] as { value: { arguments: { x: string } } }).value.arguments.x)).toBe(x);
  });
});

/**
 * Normalisation before comparing transcripts (scenario-format.md): what a
 * real recording and the simulator legitimately differ in is replaced, the
 * rest must be equal.
 */
import type { TranscriptLine } from './format.ts';
import { isRecord } from '../util/record.ts';

export interface NormaliseResult {
  lines: TranscriptLine[];
  /** Problems found on the way, e.g. a timestamp that went backwards. */
  problems: string[];
}

/** Every port value written anywhere in a scenario, as text. */
export function writtenPorts(scenario: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (x: unknown, key?: string) => {
    if (Array.isArray(x)) x.forEach((y) => visit(y));
    else if (x !== null && typeof x === 'object') for (const [k, y] of Object.entries(x)) visit(y, k);
    else if (key === 'port' && (typeof x === 'string' || typeof x === 'number')) out.add(String(x));
  };
  visit(scenario);
  return out;
}

export function normaliseTranscript(lines: readonly TranscriptLine[], scenario: unknown): NormaliseResult {
  const ports = writtenPorts(scenario);
  const problems: string[] = [];
  let lastTime = -Infinity;
  let hmpPending = 0;
  const out: TranscriptLine[] = [];
  lines.forEach((line, i) => {
    if (line.exit !== undefined) {
      out.push(line);
      return;
    }
    const msg = line.msg;
    if (line.dir === '->') {
      if (isRecord(msg) && msg.execute === 'human-monitor-command') hmpPending++;
      out.push(line);
      return;
    }
    if (msg === null || typeof msg !== 'object') {
      out.push(line);
      return;
    }
    let m: Record<string, unknown> = { ...msg };
    if ('timestamp' in m) {
      const ts = isRecord(m.timestamp) ? m.timestamp : {};
      const num = (x: unknown) => (typeof x === 'number' ? x : 0);
      const time = num(ts.seconds) * 1e6 + num(ts.microseconds);
      if (time < lastTime) problems.push(`line ${i + 1}: timestamp goes backwards`);
      lastTime = Math.max(lastTime, time);
      delete m.timestamp;
    }
    if ('QMP' in m) m = normaliseGreeting(m);
    if ('return' in m && hmpPending > 0) {
      hmpPending--;
      if (typeof m.return === 'string') m.return = normaliseHmpText(m.return, ports);
    } else if ('error' in m && hmpPending > 0 && !('event' in m)) {
      hmpPending--;
    }
    out.push({ ...line, msg: replacePorts(m, ports) });
  });
  return { lines: out, problems };
}

function normaliseGreeting(m: Record<string, unknown>): Record<string, unknown> {
  const q: unknown = structuredClone(m.QMP);
  if (isRecord(q) && isRecord(q.version)) {
    delete q.version.package;
    if (isRecord(q.version.qemu)) delete q.version.qemu.micro;
  }
  return { ...m, QMP: q };
}

function replacePorts(x: unknown, ports: Set<string>, key?: string): unknown {
  if (Array.isArray(x)) return x.map((y) => replacePorts(y, ports));
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, y] of Object.entries(x)) o[k] = replacePorts(y, ports, k);
    return o;
  }
  if (key === 'port' && (typeof x === 'string' || typeof x === 'number') && !ports.has(String(x))) return '*';
  return x;
}

function normaliseHmpText(text: string, ports: Set<string>): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .map((l) => l.replace(/tcp:(.*):(\d+)/g, (all, host: string, port: string) => (ports.has(port) ? all : `tcp:${host}:*`)))
    .join('\n');
}

/** A stable text of normalised lines, members sorted, for equality and diffs. */
export function canonicalLines(lines: readonly TranscriptLine[]): string[] {
  return lines.map((l) => JSON.stringify(sortKeys(l)));
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) o[k] = sortKeys(v);
    return o;
  }
  return x;
}

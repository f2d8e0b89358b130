/**
 * How long a client with reconnection took from NETDEV_STREAM_DISCONNECTED
 * to the next NETDEV_STREAM_CONNECTED, read from the event timestamps of
 * each recording and of the simulator's run of the same scenario.
 */
import type { TranscriptLine } from '../../core/transcript/format.ts';
import { toLine } from '../../core/transcript/format.ts';
import { recordings, verdictFor } from './conformance.ts';

export interface Gap {
  netdev: string;
  /** Microseconds from DISCONNECTED to the following CONNECTED of the same netdev. */
  recorded: number;
  engine: number | null;
}

export interface TimingRow {
  name: string;
  release: string;
  /** The reconnect member as the scenario wrote it, e.g. "reconnect-ms: 300". */
  setting: string;
  gaps: Gap[];
}

type Ev = { netdev: string; event: string; us: number };

function events(lines: readonly TranscriptLine[]): Ev[] {
  const out: Ev[] = [];
  for (const l of lines) {
    const m = l.msg as { event?: string; data?: { 'netdev-id'?: string }; timestamp?: { seconds: number; microseconds: number } } | undefined;
    if (!m?.event || !m.timestamp) continue;
    out.push({ netdev: m.data?.['netdev-id'] ?? '', event: m.event, us: m.timestamp.seconds * 1e6 + m.timestamp.microseconds });
  }
  return out;
}

function gaps(evs: Ev[]): { netdev: string; us: number }[] {
  const out: { netdev: string; us: number }[] = [];
  evs.forEach((e, i) => {
    if (e.event !== 'NETDEV_STREAM_DISCONNECTED') return;
    const next = evs.slice(i + 1).find((x) => x.netdev === e.netdev);
    if (next?.event === 'NETDEV_STREAM_CONNECTED') out.push({ netdev: e.netdev, us: next.us - e.us });
  });
  return out;
}

/** Recordings where a netdev with reconnection came back after a DISCONNECTED. */
export function reconnectTimings(): TimingRow[] {
  const rows: TimingRow[] = [];
  for (const rec of recordings()) {
    const v = verdictFor(rec);
    const settings = JSON.stringify(v.run.scenario).match(/"reconnect(-ms)?":\s*-?\d+/g) ?? [];
    const real = gaps(events(v.recorded));
    if (real.length === 0 || settings.length === 0) continue;
    const sim = gaps(events(v.run.transcript.map(toLine)));
    rows.push({
      name: rec.name,
      release: rec.release,
      setting: [...new Set(settings)].map((s) => s.replace(/"/g, '')).join(', '),
      gaps: real.map((g, i) => ({ netdev: g.netdev, recorded: g.us, engine: sim[i]?.us ?? null })),
    });
  }
  return rows;
}

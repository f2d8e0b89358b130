/**
 * Runs a scenario with the engine and keeps what every view needs at every
 * position. Used by the build (Astro renders the first trace of a page in
 * Node) and by the engine worker in the browser; pure, no DOM.
 */
import type { ArgumentChecker } from '../../core/qmp/arguments.ts';
import type { TranscriptEntry } from '../../core/qmp/types.ts';
import { RELEASES } from '../../core/releases.ts';
import type { Scenario } from '../../core/scenario/schema.ts';
import { Session } from '../../core/scenario/session.ts';
import { viewSession } from '../../core/scenario/view.ts';
import { toLine } from '../../core/transcript/format.ts';
import { bytesToHex } from '../../core/util/hex.ts';
import { addressText, describeStep, stepKindOf } from './describe.ts';
import { stageCast, stagePosition, type StageInput } from './stage-data.ts';
import { TRACE_FORMAT, type EntryKind, type ReleaseInfo, type Trace, type TraceEntry, type TracePosition, type TraceStep } from './types.ts';

export interface BuildOptions {
  checker: ArgumentChecker;
  /** Overrides the scenario's `qemu`. */
  release?: string;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function entryOf(e: TranscriptEntry): TraceEntry {
  const line = JSON.stringify(toLine(e));
  let kind: EntryKind = 'exit';
  let label = 'QEMU exits';
  if (!('exit' in e)) {
    const m = isObject(e.msg) ? e.msg : {};
    if (e.dir === '->') {
      kind = 'command';
      const exec = m.execute ?? m['exec-oob'];
      label = typeof exec === 'string' ? exec : '(no command name)';
    } else if ('QMP' in m) {
      kind = 'greeting';
      label = 'greeting';
    } else if ('event' in m) {
      kind = 'event';
      label = String(m.event);
    } else if ('error' in m) {
      kind = 'error';
      label = isObject(m.error) ? String(m.error.class) : 'error';
    } else {
      kind = 'return';
      label = 'return';
    }
  }
  return { line, kind, label, t: e.t, step: e.step };
}

export function buildTrace(scenario: Scenario, options: BuildOptions): Trace {
  const session = new Session(scenario, {
    checker: options.checker,
    ...(options.release ? { release: options.release } : {}),
    keepFrames: true,
  });
  const views: StageInput[] = [];
  const snap = () => {
    const v = viewSession(session);
    views.push({
      now: v.now,
      transcript: v.transcript.length,
      stderr: v.stderr.length,
      events: v.events.length,
      frames: v.frames.length,
      netdevs: v.netdevs.map((n) => ({ ...n })),
      listeners: v.listeners,
      connections: v.connections,
      peers: v.peers,
      infoNetwork: v.infoNetwork,
    });
  };
  snap();
  if (session.limitation === null) while (session.step()) snap();
  const e = session.engine;
  const netdevs = e.netdevList();
  const idOf = (handle: number | undefined) => (handle === undefined ? null : (netdevs[handle]?.id ?? null));
  const steps: TraceStep[] = scenario.steps.map((step, i) => {
    const s = step as Record<string, unknown>;
    return {
      kind: stepKindOf(step),
      peer: typeof s.peer === 'string' ? s.peer : null,
      address: 'listen' in s ? addressText(s.listen) : 'connect' in s ? addressText(s.connect) : null,
      text: describeStep(step),
      start: session.timeline.starts[i]!,
    };
  });
  const eventNetdev = (ev: (typeof e.events)[number]) =>
    idOf(ev.handle) ?? (typeof ev.data['netdev-id'] === 'string' ? ev.data['netdev-id'] : null);
  const positions: TracePosition[] = views.map((v, k) => ({
    ...v,
    stage: stagePosition(views, k, k > 0 ? steps[k - 1]! : null, scenario.steps[k - 1], e.events, eventNetdev, e.transcript, e.stderr),
  }));
  return {
    format: TRACE_FORMAT,
    release: session.release.name,
    scenarioRelease: scenario.qemu,
    title: scenario.title ?? 'Untitled scenario',
    stepCount: scenario.steps.length,
    last: positions.length - 1,
    startupFailed: session.startupFailed,
    limitation: session.limitation,
    end: session.timeline.end,
    steps,
    transcript: e.transcript.map(entryOf),
    stderr: [...e.stderr],
    events: e.events.map((ev) => ({
      t: ev.t,
      event: ev.event,
      netdev: eventNetdev(ev),
      delivered: ev.delivered,
    })),
    frames: e.frames.map((f) => ({
      t: f.t,
      netdev: idOf(f.handle) ?? '?',
      length: f.length,
      head: f.head ? bytesToHex(f.head) : null,
    })),
    positions,
    cast: stageCast(positions),
  };
}

/** The releases the pickers offer, oldest first. */
export function releaseInfos(): ReleaseInfo[] {
  return RELEASES.map((r) => ({ name: r.name, recorded: r.recorded, change: r.change }));
}

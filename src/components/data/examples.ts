/**
 * Picks, for each QAPI definition, the scenario runs whose transcripts
 * illustrate it on the reference pages. Candidates are the recorded
 * scenarios (content/conformance) and our own small scenarios
 * (src/content/examples); the engine runs them here, and the shortest
 * transcript that shows the definition wins, once for the oldest and once
 * for the newest recorded release.
 */
import { RELEASES } from '../../core/releases.ts';
import type { TranscriptEntry } from '../../core/qmp/types.ts';
import { recordings } from './conformance.ts';
import { EXAMPLE_FILES } from './sources.ts';
import { readScenario, runFile, type Run } from './runs.ts';

export interface Example {
  run: Run;
  /** What the example shows, e.g. "success" or "an error reply". */
  label: string;
  /** Indexes of the transcript entries that show the definition. */
  highlight: number[];
}

/** Releases recorded on real QEMU, oldest first. */
export const RECORDED_RELEASES = RELEASES.filter((r) => r.recorded).map((r) => r.name);

/** Scenario files to try, with the release each is run as. */
function candidates(): { file: string; release: string }[] {
  const out = recordings().map((r) => ({ file: r.scenarioFile, release: r.release }));
  for (const file of [...EXAMPLE_FILES.keys()].sort()) {
    readScenario(file); // an invalid example file fails the build here
    for (const release of RECORDED_RELEASES) out.push({ file, release });
  }
  return out;
}

/**
 * Scenarios that teach a definition best, tried before the shortest
 * transcript: recording names (content/conformance) or example names
 * (src/content/examples). A preference that does not show the definition
 * is skipped, so the choice cannot go stale silently: the page then falls
 * back to the shortest transcript that does.
 */
const PREFERRED: Record<string, { ok?: string[]; error?: string[] }> = {
  NETDEV_STREAM_CONNECTED: { ok: ['07-client-inet4-peer-closes'] },
  NETDEV_STREAM_DISCONNECTED: { ok: ['07-client-inet4-peer-closes'] },
  netdev_add: { ok: ['07-client-inet4-peer-closes'], error: ['14-netdev-add-duplicate-id'] },
  netdev_del: { ok: ['12-netdev-del-server-connected'], error: ['14-netdev-add-duplicate-id'] },
  set_link: { ok: ['27-set-link-server-connected'], error: ['14-netdev-add-duplicate-id'] },
  'human-monitor-command': { ok: ['09-client-unix-nothing-listening'] },
  qmp_capabilities: { ok: ['10-client-cmdline-nothing-listening'], error: ['qmp-capabilities-twice'] },
};

/** "content/conformance/scenarios/04-server-inet4@11.1.json" -> "04-server-inet4". */
export function scenarioName(file: string): string {
  return file.replace(/^.*\//, '').replace(/(@[\d.]+)?\.json$/, '');
}

type Matcher = (t: TranscriptEntry[], i: number) => boolean;

const msgOf = (e: TranscriptEntry): Record<string, unknown> | null =>
  'msg' in e && e.msg !== null && typeof e.msg === 'object' ? (e.msg as Record<string, unknown>) : null;

const isEvent = (name: string): Matcher => (t, i) => msgOf(t[i]!)?.event === name;

const isRequest = (name: string): Matcher => (t, i) => {
  const e = t[i]!;
  return 'dir' in e && e.dir === '->' && msgOf(e)?.execute === name;
};

/** The reply to the request at `i` is the next line QEMU sent that is not an event. */
export function replyIndex(t: TranscriptEntry[], i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    const e = t[j]!;
    if ('dir' in e && e.dir === '<-' && !('event' in (msgOf(e) ?? {}))) return j;
  }
  return -1;
}

function pick(
  match: Matcher,
  release: string,
  want: (t: TranscriptEntry[], hits: number[]) => boolean,
  preferred: readonly string[] = [],
): Run | null {
  let best: Run | null = null;
  let bestRank = Infinity;
  for (const c of candidates()) {
    if (c.release !== release) continue;
    const run = runFile(c.file, c.release);
    const t = run.transcript;
    const hits = t.map((_, i) => i).filter((i) => match(t, i));
    if (hits.length === 0 || !want(t, hits)) continue;
    const p = preferred.indexOf(scenarioName(c.file));
    const rank = p >= 0 ? p - preferred.length : t.length;
    if (rank < bestRank) {
      best = run;
      bestRank = rank;
    }
  }
  return best;
}

function highlightsFor(run: Run, match: Matcher, withReplies: boolean): number[] {
  const t = run.transcript;
  const out: number[] = [];
  t.forEach((_, i) => {
    if (!match(t, i)) return;
    out.push(i);
    if (withReplies) {
      const j = replyIndex(t, i);
      if (j >= 0) out.push(j);
    }
  });
  return out;
}

const replyIs = (kind: 'return' | 'error') => (t: TranscriptEntry[], hits: number[]) =>
  hits.some((i) => {
    const j = replyIndex(t, i);
    return j >= 0 && kind in (msgOf(t[j]!) ?? {});
  });

/** Examples for an event or a command; types get none (their pages link to where they appear). */
export function examplesFor(kind: string, name: string): Example[] {
  const out: Example[] = [];
  const pref = PREFERRED[name] ?? {};
  if (kind === 'event') {
    const match = isEvent(name);
    for (const release of [RECORDED_RELEASES[0]!, RECORDED_RELEASES.at(-1)!]) {
      const run = pick(match, release, () => true, pref.ok);
      if (run) out.push({ run, label: `QEMU ${release}`, highlight: highlightsFor(run, match, false) });
    }
  } else if (kind === 'command') {
    const match = isRequest(name);
    for (const release of [RECORDED_RELEASES[0]!, RECORDED_RELEASES.at(-1)!]) {
      const run = pick(match, release, replyIs('return'), pref.ok);
      if (run) out.push({ run, label: `QEMU ${release}, success`, highlight: highlightsFor(run, match, true) });
    }
    const newest = RECORDED_RELEASES.at(-1)!;
    const failing = pick(match, newest, replyIs('error'), pref.error);
    if (failing) out.push({ run: failing, label: `QEMU ${newest}, an error reply`, highlight: highlightsFor(failing, match, true) });
  }
  // Two picks of one release can land on the same run; show it once.
  return out.filter((e, i) => out.findIndex((x) => x.run === e.run) === i);
}

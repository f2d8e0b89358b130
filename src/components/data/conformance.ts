/**
 * The real-QEMU recordings in content/conformance and how the engine does
 * on each, computed during the build (the "Verified against QEMU" pages and
 * the captions under examples read this).
 *
 * Layout (content/conformance/README.md): scenarios/NAME.json is recorded
 * in 7.2/NAME.jsonl, scenarios/NAME@R.json in R/NAME.jsonl, with an
 * optional R/NAME.stderr.txt; the same under extra/ when present.
 */
import { parseTranscript, toLine, type TranscriptLine } from '../../core/transcript/format.ts';
import { canonicalLines, normaliseTranscript } from '../../core/transcript/normalise.ts';
import { CONFORMANCE_FILES } from './sources.ts';
import { readScenario, runFile, type Run } from './runs.ts';

const ROOT = 'content/conformance';

export interface RecordedBuild {
  release: string;
  /** As the README's table writes it, e.g. "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3, bookworm)". */
  build: string;
  howItRan: string;
}

export interface Recording {
  /** File name without release suffix, e.g. "04-server-inet4". */
  name: string;
  release: string;
  scenarioFile: string;
  transcriptFile: string;
  stderrFile: string | null;
  title: string;
  description: string;
}

export interface Verdict {
  recording: Recording;
  run: Run;
  recorded: TranscriptLine[];
  /** Normalised lines (v1 rules), canonical text, both sides. */
  recordedCanonical: string[];
  engineCanonical: string[];
  transcriptMatches: boolean;
  recordedStderr: string[];
  stderrMatches: boolean;
  /** Timestamps that went backwards and similar, on either side. */
  problems: string[];
  reproduced: boolean;
}

/** Rows of the build table at the top of content/conformance/README.md. */
export function recordedBuilds(): RecordedBuild[] {
  const readme = CONFORMANCE_FILES.get(`${ROOT}/README.md`) ?? '';
  const rows: RecordedBuild[] = [];
  for (const line of readme.split('\n')) {
    const m = /^\|\s*(\d+\.\d+)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$/.exec(line);
    if (m) rows.push({ release: m[1]!, build: m[2]!, howItRan: m[3]! });
  }
  return rows;
}

export function buildOf(release: string): RecordedBuild | undefined {
  return recordedBuilds().find((b) => b.release === release);
}

/** The build text in a few words: "QEMU 7.2.22 (Debian bookworm)". */
export function shortBuild(release: string): string {
  const b = buildOf(release);
  if (!b) return `QEMU ${release}`;
  const version = /^[\d.]+/.exec(b.build)?.[0] ?? release;
  const suite = /,\s*([a-z]+)\)\s*$/.exec(b.build)?.[1];
  return `QEMU ${version}${suite ? ` (Debian ${suite})` : ''}`;
}

/** Names (e.g. "60-server-unix-full-backlog") recorded inside the project (RECORDED-HERE.md's list). */
export function recordedHereNames(): Set<string> {
  const text = CONFORMANCE_FILES.get(`${ROOT}/RECORDED-HERE.md`) ?? '';
  const out = new Set<string>();
  for (const m of text.matchAll(/^- (\w+) ([a-z0-9-]+) \(/gm)) out.add(`${m[1]}-${m[2]}`);
  return out;
}

/**
 * The QEMU build a recording came from, in its own words: the greeting's
 * version and package string; a recording of a QEMU that refused to start
 * has no greeting, so the build table of its release says it.
 */
export function recordingBuild(rec: Recording): string {
  const parsed = parseTranscript(CONFORMANCE_FILES.get(rec.transcriptFile) ?? '');
  const greeting = parsed.ok ? parsed.lines.find((l) => l.dir === '<-' && l.msg !== null && typeof l.msg === 'object' && 'QMP' in l.msg) : undefined;
  const v = (greeting?.msg as { QMP?: { version?: { qemu?: { major: number; minor: number; micro: number }; package?: string } } } | undefined)?.QMP?.version;
  if (v?.qemu) return `QEMU ${v.qemu.major}.${v.qemu.minor}.${v.qemu.micro}${v.package ? ` (${v.package})` : ''}`;
  const b = buildOf(rec.release);
  return b ? `QEMU ${b.build}` : `QEMU ${rec.release}`;
}

let recordingList: Recording[] | null = null;

/** Every scenario file that has a recorded transcript, sorted by name then release. */
export function recordings(): Recording[] {
  recordingList ??= findRecordings();
  return recordingList;
}

function findRecordings(): Recording[] {
  const out: Recording[] = [];
  for (const file of [...CONFORMANCE_FILES.keys()].sort()) {
    const m = /^content\/conformance\/(extra\/)?scenarios\/([^/@]+)(?:@([\d.]+))?\.json$/.exec(file);
    if (!m) continue;
    const base = m[1] ? `${ROOT}/extra` : ROOT;
    const name = m[2]!;
    const scenario = readScenario(file);
    const release = m[3] ?? scenario.qemu;
    const transcriptFile = `${base}/${release}/${name}.jsonl`;
    if (!CONFORMANCE_FILES.has(transcriptFile)) continue;
    const stderrFile = `${base}/${release}/${name}.stderr.txt`;
    out.push({
      name,
      release,
      scenarioFile: file,
      transcriptFile,
      stderrFile: CONFORMANCE_FILES.has(stderrFile) ? stderrFile : null,
      title: scenario.title ?? name,
      description: scenario.description ?? '',
    });
  }
  const key = (r: Recording) => [r.name, r.release.split('.').map((n) => n.padStart(3, '0')).join('.')].join(' ');
  return out.sort((a, b) => key(a).localeCompare(key(b)));
}

/** Recording names in order, each with its recordings (one per release). */
export function recordingsByName(): Map<string, Recording[]> {
  const out = new Map<string, Recording[]>();
  for (const r of recordings()) out.set(r.name, [...(out.get(r.name) ?? []), r]);
  return out;
}

const verdicts = new Map<string, Verdict>();

/** Runs the recording's scenario on the engine and compares, as the conformance test does. */
export function verdictFor(rec: Recording): Verdict {
  const hit = verdicts.get(rec.scenarioFile);
  if (hit) return hit;
  const run = runFile(rec.scenarioFile, rec.release);
  const parsed = parseTranscript(CONFORMANCE_FILES.get(rec.transcriptFile)!);
  if (!parsed.ok) throw new Error(`${rec.transcriptFile}: ${parsed.error}`);
  const theirs = normaliseTranscript(parsed.lines, run.scenario);
  const ours = normaliseTranscript(run.transcript.map(toLine), run.scenario);
  const recordedCanonical = canonicalLines(theirs.lines);
  const engineCanonical = canonicalLines(ours.lines);
  const transcriptMatches =
    recordedCanonical.length === engineCanonical.length && recordedCanonical.every((l, i) => l === engineCanonical[i]);
  const recordedStderr = rec.stderrFile
    ? CONFORMANCE_FILES.get(rec.stderrFile)!.split('\n').filter((l) => l !== '')
    : [];
  const stderrMatches =
    recordedStderr.length === run.stderr.length && recordedStderr.every((l, i) => l === run.stderr[i]);
  const problems = [
    ...theirs.problems.map((p) => `recording: ${p}`),
    ...ours.problems.map((p) => `engine: ${p}`),
  ];
  const v: Verdict = {
    recording: rec,
    run,
    recorded: parsed.lines,
    recordedCanonical,
    engineCanonical,
    transcriptMatches,
    recordedStderr,
    stderrMatches,
    problems,
    reproduced: transcriptMatches && stderrMatches && problems.length === 0,
  };
  verdicts.set(rec.scenarioFile, v);
  return v;
}

/** The verdict for a scenario file, when that file has a recording. */
export function verdictForFile(file: string, release: string): Verdict | null {
  const rec = recordings().find((r) => r.scenarioFile === file && r.release === release);
  return rec ? verdictFor(rec) : null;
}

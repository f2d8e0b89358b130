/**
 * Scenario runs on the engine, shared by every page that shows QMP output.
 * Nothing on the site is typed by hand: a transcript on a page is what the
 * engine printed for a scenario file, here, during the build.
 */
import { schemaChecker } from '../../core/qmp/schema-checker.ts';
import { checkScenario, formatIssue, type Scenario, type Step } from '../../core/scenario/schema.ts';
import { runScenario, type Session } from '../../core/scenario/session.ts';
import type { EmittedEvent, TranscriptEntry } from '../../core/qmp/types.ts';
import { sourceFile } from './sources.ts';

export interface Run {
  /** Repository path of the scenario file. */
  file: string;
  /** The release the engine modelled. */
  release: string;
  scenario: Scenario;
  transcript: TranscriptEntry[];
  stderr: string[];
  /** Every event the backends emitted, delivered to the QMP client or not. */
  events: EmittedEvent[];
  /** What `info network` would print at the end of the run. */
  infoNetwork: string;
  /** The -netdev options QEMU was started with, in QEMU's dotted form. */
  commandLine: string[];
}

const cache = new Map<string, Run>();

/** A scenario file of the site (by repository path), checked; the build fails, naming every issue, on an invalid one. */
export function readScenario(file: string): Scenario {
  const checked = checkScenario(JSON.parse(sourceFile(file)));
  if (!checked.ok) throw new Error(`${file}: ${checked.issues.map(formatIssue).join('; ')}`);
  return checked.scenario;
}

/** Runs a scenario given inline (used for the generated tables); `key` names it in errors and caches. */
export function runInline(key: string, scenario: Scenario, release = scenario.qemu): Run {
  const id = `${key}@@${release}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const session: Session = runScenario(scenario, { checker: schemaChecker, release });
  const e = session.engine;
  const run: Run = {
    file: key,
    release,
    scenario,
    transcript: [...e.transcript],
    stderr: [...e.stderr],
    events: [...e.events],
    infoNetwork: session.engine.monitor.infoNetwork(),
    commandLine: scenario.netdevs.map((nd) => schemaChecker.dottedOptions(nd)),
  };
  cache.set(id, run);
  return run;
}

/** Runs a scenario file as `release` (default: the release the file names). */
export function runFile(file: string, release?: string): Run {
  const scenario = readScenario(file);
  return runInline(file, scenario, release ?? scenario.qemu);
}

/** One short line saying what a step does, for the comments between transcript lines. */
export function describeStep(step: Step): string {
  const addr = (a: Record<string, unknown>) => {
    if (a.type === 'unix') return `unix ${String(a.path)}${a.abstract ? ' (abstract)' : ''}`;
    if (a.type === 'inet') return `inet ${String(a.host)}:${String(a.port)}`;
    if (a.type === 'fd') return `fd ${String(a.str)}`;
    return JSON.stringify(a);
  };
  if ('qmp' in step) {
    const exec = (step.qmp as { execute?: unknown } | null)?.execute;
    return typeof exec === 'string' ? `QMP client sends ${exec}` : 'QMP client sends a message';
  }
  if ('wait' in step) return `wait ${step.wait} ms`;
  if ('listen' in step) return `peer ${step.peer} listens on ${addr(step.listen)}`;
  if ('connect' in step) return `peer ${step.peer} connects to ${addr(step.connect)}`;
  if ('send' in step) return `peer ${step.peer} sends a ${step.send.length / 2}-byte frame`;
  if ('send-raw' in step) return `peer ${step.peer} writes ${step['send-raw'].length / 2} raw bytes`;
  if ('close' in step) return `peer ${step.peer} closes its sockets`;
  return 'step';
}

/**
 * netdev-sim: the command-line face of the engine. A thin shell: it reads
 * files, checks input, runs src/core and prints. Every failure is one clear
 * line on stderr and an exit status, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { schemaChecker } from '../core/qmp/schema-checker.ts';
import { RELEASE_NAMES, findRelease } from '../core/releases.ts';
import { checkScenario, formatIssue, type Scenario } from '../core/scenario/schema.ts';
import { DEFAULT_EPOCH_SECONDS, runScenario } from '../core/scenario/session.ts';
import { formatTranscript, parseTranscript, toLine } from '../core/transcript/format.ts';
import { changedLinesText } from '../core/transcript/line-diff.ts';
import { canonicalLines, normaliseTranscript } from '../core/transcript/normalise.ts';
import { decodeLink, encodeLink, LinkEncodeError, SIMULATOR_PATH } from '../share/link.ts';
import type { Io } from './node-io.ts';

export { nodeIo, type Io } from './node-io.ts';

/** Exit statuses. */
export const EXIT_OK = 0;
export const EXIT_DIFFERENT = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 70;


export class CliError extends Error {
  constructor(
    message: string,
    readonly status: number = EXIT_BAD_INPUT,
  ) {
    super(message);
  }
}

const USAGE = `Usage:
  netdev-sim run FILE.json [--qemu X.Y] [--epoch SECONDS] [--normalise] [--quiet]
      Run a scenario and print its QMP transcript (JSON Lines) on stdout.
  netdev-sim validate FILE.json [--qemu X.Y]
      Only check the scenario.
  netdev-sim compare FILE.json RECORDING.jsonl [--qemu X.Y]
      Run a scenario and compare its transcript with a recording after the
      spec's normalisation; exit 1 when they differ.
  netdev-sim link FILE.json [--step N] [--qemu X.Y] [--base URL]
      Print a share link that opens the scenario in the simulator at step N
      (default 0, before the first step); --base gives the page address
      (default ${SIMULATOR_PATH}).
  netdev-sim open LINK
      Print the scenario a share link holds (JSON) on stdout, and its release
      and step on stderr.
  netdev-sim releases
      List the QEMU releases the simulator models.
  netdev-sim examples [NAME]
      List the site's guided scenarios, or print one (JSON) to start from.

  netdev-sim record --qemu "CMD" FILE.json [-o OUT.jsonl]
      Run the scenario on a real QEMU (CMD: the program and its leading
      words, e.g. "qemu-system-x86_64" or "chroot /srv/sid qemu-system-x86_64")
      with real peers on the spec's timeline; print its transcript (or write
      OUT.jsonl and OUT.stderr.txt).
  netdev-sim verify --qemu "CMD" [--runs N] [--save DIR] FILE.json|DIR...
      Record each scenario N times (default 3) and compare with the engine
      for the release QEMU reports; exit 1 on any difference. --save writes
      the recordings in content/conformance's layout.

  netdev-sim qemu -qmp unix:PATH,server=on,wait=off [-netdev stream,...]... [--release X.Y]
      A stand-in QEMU on real sockets for testing management software:
      the QMP monitor and every stream netdev on the host's sockets, in
      real time (see README, "Testing management software").

Releases: ${RELEASE_NAMES.join(', ')}`;

function readText(io: Io, path: string, what: string): string {
  try {
    return io.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new CliError(`cannot read ${what} ${path}: ${why}`);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

export function loadScenario(io: Io, path: string): Scenario {
  const value = parseJson(readText(io, path, 'scenario'), path);
  const checked = checkScenario(value);
  if (!checked.ok) {
    throw new CliError(checked.issues.map((i) => `${path}: ${formatIssue(i)}`).join('\n'));
  }
  return checked.scenario;
}

function releaseOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!findRelease(value)) {
    throw new CliError(`--qemu: expected one of ${RELEASE_NAMES.map((r) => JSON.stringify(r)).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function epochOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_EPOCH_SECONDS;
  if (!/^\d{1,12}$/.test(value)) throw new CliError(`--epoch: expected whole seconds since 1970, got ${JSON.stringify(value)}`);
  return Number(value);
}

function simulate(scenario: Scenario, release: string | undefined, epochSeconds: number) {
  const session = runScenario(scenario, {
    checker: schemaChecker,
    epochSeconds,
    ...(release !== undefined ? { release } : {}),
  });
  if (session.limitation) {
    throw new CliError(`${session.limitation.path}: ${session.limitation.message}`);
  }
  return session;
}

/** Exit status; a promise for the commands that compress (link, open). */
export function main(argv: string[], io: Io): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            qemu: { type: 'string' },
            epoch: { type: 'string' },
            normalise: { type: 'boolean' },
            quiet: { type: 'boolean' },
          },
        });
        const file = onePositional(positionals, 'run');
        const scenario = loadScenario(io, file);
        const session = simulate(scenario, releaseOption(values.qemu), epochOption(values.epoch));
        const entries = session.engine.transcript;
        if (values.normalise) {
          const n = normaliseTranscript(entries.map(toLine), scenario);
          io.out(n.lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
        } else {
          io.out(formatTranscript(entries));
        }
        if (!values.quiet) for (const line of session.engine.stderr) io.err(`${line}\n`);
        return EXIT_OK;
      }
      case 'validate': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { qemu: { type: 'string' } },
        });
        const file = onePositional(positionals, 'validate');
        const scenario = loadScenario(io, file);
        const release = releaseOption(values.qemu) ?? scenario.qemu;
        io.out(`${file}: valid scenario (${scenario.steps.length} steps, QEMU ${release})\n`);
        return EXIT_OK;
      }
      case 'compare': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { qemu: { type: 'string' } },
        });
        if (positionals.length !== 2) throw new CliError('compare takes a scenario file and a recording (.jsonl)');
        const [file, recording] = positionals as [string, string];
        const scenario = loadScenario(io, file);
        const parsed = parseTranscript(readText(io, recording, 'recording'));
        if (!parsed.ok) throw new CliError(`${recording}: ${parsed.error}`);
        const session = simulate(scenario, releaseOption(values.qemu), DEFAULT_EPOCH_SECONDS);
        const ours = normaliseTranscript(session.engine.transcript.map(toLine), scenario);
        const theirs = normaliseTranscript(parsed.lines, scenario);
        for (const p of theirs.problems) io.err(`${recording}: ${p}\n`);
        const a = canonicalLines(ours.lines);
        const b = canonicalLines(theirs.lines);
        const diff = changedLinesText(a, b);
        if (diff.length === 0 && theirs.problems.length === 0) {
          io.out(`${file}: the simulator reproduces ${recording} (${b.length} lines)\n`);
          return EXIT_OK;
        }
        io.out(`${file}: transcripts differ (- simulator, + recording)\n${diff.join('\n')}\n`);
        return EXIT_DIFFERENT;
      }
      case 'examples':
        // Loaded on demand: the scenarios are the bundle's largest data.
        return import('./examples.ts').then(({ examplesCommand }) => examplesCommand(rest, io)).catch((e: unknown) => reportError(e, io));
      case 'releases':
        io.out(`${RELEASE_NAMES.join('\n')}\n`);
        return EXIT_OK;
      case 'link':
        return linkCommand(rest, io).catch((e: unknown) => reportError(e, io));
      case 'open':
        return openCommand(rest, io).catch((e: unknown) => reportError(e, io));
      case 'record':
        // Loaded on demand: only these commands start QEMU.
        return import('./live.ts').then(({ recordCommand }) => recordCommand(rest, io)).catch((e: unknown) => reportError(e, io));
      case 'verify':
        return import('./live.ts').then(({ verifyCommand }) => verifyCommand(rest, io)).catch((e: unknown) => reportError(e, io));
      case 'qemu':
        // Loaded on demand: only this command needs real sockets.
        return import('../node/qemu.ts').then(({ runQemu }) => runQemu(rest, { err: io.err, out: io.out }));
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(`${USAGE}\n`);
        return command === undefined ? EXIT_BAD_INPUT : EXIT_OK;
      default:
        throw new CliError(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
    }
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: Io): number {
  if (e instanceof CliError) {
    io.err(`netdev-sim: ${e.message}\n`);
    return e.status;
  }
  if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    io.err(`netdev-sim: ${e.message}\n`);
    return EXIT_BAD_INPUT;
  }
  io.err(`netdev-sim: internal error: ${(e as Error).message ?? String(e)}\n`);
  return EXIT_INTERNAL;
}

async function linkCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { step: { type: 'string' }, qemu: { type: 'string' }, base: { type: 'string' } },
  });
  const file = onePositional(positionals, 'link');
  const scenario = loadScenario(io, file);
  const release = releaseOption(values.qemu);
  const step = values.step === undefined ? 0 : Number(values.step);
  if (values.step !== undefined && !(/^\d{1,9}$/.test(values.step) && step <= scenario.steps.length)) {
    throw new CliError(`--step: expected a whole number from 0 to ${scenario.steps.length} (the scenario's steps), got ${JSON.stringify(values.step)}`);
  }
  try {
    const link = await encodeLink(scenario, { step, base: values.base ?? SIMULATOR_PATH, ...(release !== undefined ? { release } : {}) });
    io.out(`${link}\n`);
  } catch (e) {
    if (e instanceof LinkEncodeError) throw new CliError(`${file}: ${e.message}`);
    throw e;
  }
  return EXIT_OK;
}

async function openCommand(args: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new CliError('open takes exactly one link');
  const opened = await decodeLink(positionals[0]!);
  if (!opened.ok) throw new CliError(opened.error);
  const { scenario, release, step } = opened;
  io.out(`${JSON.stringify(scenario, null, 2)}\n`);
  const asked = release === scenario.qemu ? '' : ` (the scenario names ${scenario.qemu})`;
  io.err(`QEMU ${release}${asked}, step ${step} of ${scenario.steps.length}\n`);
  return EXIT_OK;
}

function onePositional(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new CliError(`${command} takes exactly one scenario file`);
  return positionals[0]!;
}


/**
 * `netdev-sim record` and `netdev-sim verify`: the engine checked against
 * a QEMU on this machine (src/node/recorder).
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Scenario } from '../core/scenario/schema.ts';
import { CommandError, parseCommand, type QemuCommand } from '../node/recorder/command.ts';
import { record, type Recorded } from '../node/recorder/record.ts';
import { describeBuild, verifyScenario, type VerifyResult, type VerifyStatus } from '../node/recorder/verify.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_DIFFERENT, EXIT_OK, loadScenario, type Io } from './main.ts';

function commandOption(value: string | undefined): QemuCommand {
  if (value === undefined) throw new CliError('--qemu "CMD" is required: the QEMU to run, e.g. --qemu qemu-system-x86_64');
  try {
    return parseCommand(value);
  } catch (e) {
    if (e instanceof CommandError) throw new CliError(e.message);
    throw e;
  }
}

const transcriptText = (r: Recorded) => r.lines.map((l) => `${JSON.stringify(l)}\n`).join('');

/** Runs `fn`, turning the recorder's errors (QEMU not found, no QMP socket) into CLI errors. */
async function recorderErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CommandError) throw new CliError(e.message);
    throw e;
  }
}

export async function recordCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { qemu: { type: 'string' }, output: { type: 'string', short: 'o' }, 'keep-names': { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new CliError('record takes exactly one scenario file');
  const command = commandOption(values.qemu);
  const scenario = loadScenario(io, positionals[0]!);
  const r = await recorderErrors(() => record(scenario, { command, keepNames: values['keep-names'] ?? false }));
  for (const n of r.notes) io.err(`netdev-sim: ${n}\n`);
  if (values.output) {
    const out = values.output;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, transcriptText(r));
    const side = out.replace(/\.jsonl$/, '') + '.stderr.txt';
    if (r.stderr !== '') writeFileSync(side, r.stderr);
    io.err(`netdev-sim: recorded ${describeBuild(r.build)}: ${out}${r.stderr !== '' ? ` and ${side}` : ''}\n`);
  } else {
    io.out(transcriptText(r));
    io.err(r.stderr);
  }
  return EXIT_OK;
}

/** Scenario files named on the command line: files as they are, directories' *.json files. */
function scenarioFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CliError(`cannot read ${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const found = readdirSync(p)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(p, f));
      if (found.length === 0) throw new CliError(`${p} holds no scenario (*.json) files`);
      out.push(...found);
    } else out.push(p);
  }
  return out;
}

const LABEL: Record<VerifyStatus, string> = {
  same: 'same',
  differs: 'differs',
  unstable: 'unstable',
  refused: 'QEMU refused',
  unmodelled: 'not modelled',
};

/** Writes one verified scenario in content/conformance's layout. */
function save(dir: string, file: string, scenario: Scenario, result: VerifyResult): string[] {
  const release = result.build?.release ?? scenario.qemu;
  const name = basename(file).replace(/(@[\d.]+)?\.json$/, '');
  const run = result.runs[0]!;
  const written = [join(dir, 'scenarios', `${name}@${release}.json`), join(dir, release, `${name}.jsonl`)];
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  mkdirSync(join(dir, release), { recursive: true });
  writeFileSync(written[0]!, `${JSON.stringify({ ...scenario, qemu: release }, null, 1)}\n`);
  writeFileSync(written[1]!, transcriptText(run));
  if (run.stderr !== '') {
    written.push(join(dir, release, `${name}.stderr.txt`));
    writeFileSync(written[2]!, run.stderr);
  }
  return written;
}

export async function verifyCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { qemu: { type: 'string' }, runs: { type: 'string' }, save: { type: 'string' } },
  });
  const command = commandOption(values.qemu);
  if (positionals.length === 0) throw new CliError('verify takes scenario files or directories of them');
  const runs = values.runs === undefined ? 3 : Number(values.runs);
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= 100)) {
    throw new CliError(`--runs: expected a whole number from 1 to 100, got ${JSON.stringify(values.runs)}`);
  }
  const files = scenarioFiles(positionals);
  const scenarios = files.map((f) => ({ file: f, scenario: loadScenario(io, f) }));
  const counts = new Map<VerifyStatus, number>();
  const width = Math.max(...Object.values(LABEL).map((l) => l.length));
  const started = performance.now();
  for (const { file, scenario } of scenarios) {
    const r = await recorderErrors(() => verifyScenario(scenario, { command, runs }));
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    const name = basename(file).replace(/\.json$/, '');
    const tail = [describeBuild(r.build), `${runs} run${runs === 1 ? '' : 's'}`].join(', ');
    io.out(`${LABEL[r.status].padEnd(width)}  ${name}  (${tail})${r.message ? `: ${r.message}` : ''}\n`);
    for (const n of new Set(r.runs.flatMap((x) => x.notes))) io.out(`${' '.repeat(width)}  note: ${n}\n`);
    if (r.diff) io.out(`${r.diff}\n`);
    if (values.save && r.status !== 'unstable' && r.status !== 'unmodelled') {
      for (const w of save(values.save, file, scenario, r)) io.out(`${' '.repeat(width)}  wrote ${w}\n`);
    }
  }
  const order: VerifyStatus[] = ['same', 'differs', 'unstable', 'refused', 'unmodelled'];
  const summary = order
    .filter((s) => (counts.get(s) ?? 0) > 0 || s === 'same' || s === 'differs')
    .map((s) => `${counts.get(s) ?? 0} ${LABEL[s]}`)
    .join(', ');
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  io.out(`\n${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} in ${secs} s: ${summary}\n`);
  const bad = (counts.get('differs') ?? 0) + (counts.get('unstable') ?? 0) + (counts.get('unmodelled') ?? 0);
  return bad > 0 ? EXIT_DIFFERENT : EXIT_OK;
}

export { EXIT_BAD_INPUT };

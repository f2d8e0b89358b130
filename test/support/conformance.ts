/** Reads the recorded conformance cases from content/conformance. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONFORMANCE_DIR = new URL('../../content/conformance/', import.meta.url).pathname;

export interface ConformanceCase {
  name: string;
  release: string;
  scenarioFile: string;
  scenario: unknown;
  transcriptFile: string;
  transcript: string;
  stderrFile: string | null;
  stderr: string | null;
}

/** Every scenario that has a recording: scenarios/NAME[@R].json -> R/NAME.jsonl. */
export function conformanceCases(dir = CONFORMANCE_DIR): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const scenarioDirs = [join(dir, 'scenarios'), join(dir, 'extra', 'scenarios')].filter((d) => existsSync(d));
  for (const sdir of scenarioDirs) {
    const base = sdir.endsWith(join('extra', 'scenarios')) ? join(dir, 'extra') : dir;
    for (const f of readdirSync(sdir).sort()) {
      if (!f.endsWith('.json')) continue;
      const scenario = JSON.parse(readFileSync(join(sdir, f), 'utf8')) as { qemu?: string };
      const name = f.replace(/(@[\d.]+)?\.json$/, '');
      const release = scenario.qemu ?? f.match(/@([\d.]+)\.json$/)?.[1] ?? '7.2';
      const transcriptFile = join(base, release, `${name}.jsonl`);
      if (!existsSync(transcriptFile)) continue;
      const stderrFile = join(base, release, `${name}.stderr.txt`);
      out.push({
        name,
        release,
        scenarioFile: join(sdir, f),
        scenario,
        transcriptFile,
        transcript: readFileSync(transcriptFile, 'utf8'),
        stderrFile: existsSync(stderrFile) ? stderrFile : null,
        stderr: existsSync(stderrFile) ? readFileSync(stderrFile, 'utf8') : null,
      });
    }
  }
  return out;
}

/**
 * Share-link sizes: the length of the link (`/simulator/#s=v1.…`) for every
 * scenario in content/scenarios and content/conformance/scenarios and for a
 * generated 40-step scenario, next to two encodings v1 was measured against:
 *   json:   deflate-raw of JSON {scenario, release, step}
 *   header: deflate-raw of "step release\n" + the scenario's JSON
 * Run: npx tsx scripts/link-report.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario, type Scenario } from '../src/core/scenario/schema.ts';
import { toBase64url } from '../src/share/base64url.ts';
import { deflateRaw } from '../src/share/deflate.ts';
import { encodeLink, SIMULATOR_PATH } from '../src/share/link.ts';
import { realisticScenario } from '../test/share/realistic-scenario.ts';

const root = new URL('../', import.meta.url).pathname;
const FOLDERS = ['content/scenarios', 'content/conformance/scenarios'];

interface Row {
  name: string;
  steps: number;
  jsonBytes: number;
  json: number;
  header: number;
  v1: number;
}

/** Links the way the alternatives would have been written, same prefix and path. */
async function alternative(text: string): Promise<number> {
  const payload = toBase64url(await deflateRaw(new TextEncoder().encode(text)));
  return `${SIMULATOR_PATH}#s=v1.${payload}`.length;
}

async function measure(name: string, s: Scenario): Promise<Row> {
  const step = s.steps.length;
  return {
    name,
    steps: s.steps.length,
    jsonBytes: JSON.stringify(s).length,
    json: await alternative(JSON.stringify({ scenario: s, release: s.qemu, step })),
    header: await alternative(`${step} ${s.qemu}\n${JSON.stringify(s)}`),
    v1: (await encodeLink(s, { step, base: SIMULATOR_PATH })).length,
  };
}

function scenarioFiles(folder: string): string[] {
  try {
    return readdirSync(join(root, folder))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(folder, f));
  } catch {
    return [];
  }
}

const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;

async function main(): Promise<void> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  for (const folder of FOLDERS) {
    for (const file of scenarioFiles(folder)) {
      const checked = checkScenario(JSON.parse(readFileSync(join(root, file), 'utf8')) as unknown);
      if (!checked.ok) {
        skipped.push(`${file}: not a valid scenario`);
        continue;
      }
      rows.push(await measure(file, checked.scenario));
    }
  }
  rows.push(await measure('(generated) realistic 40 steps', realisticScenario(40)));

  const width = Math.max(...rows.map((r) => r.name.length));
  const line = (cells: (string | number)[]) =>
    console.log(`${String(cells[0]).padEnd(width)}  ${cells.slice(1).map((c) => String(c).padStart(8)).join('  ')}`);
  line(['scenario', 'steps', 'JSON B', 'json', 'header', 'v1', 'v1/json']);
  for (const r of rows) line([r.name, r.steps, r.jsonBytes, r.json, r.header, r.v1, pct(r.v1, r.json)]);
  const sum = (k: keyof Row) => rows.reduce((n, r) => n + (r[k] as number), 0);
  line(['total', sum('steps'), sum('jsonBytes'), sum('json'), sum('header'), sum('v1'), pct(sum('v1'), sum('json'))]);
  console.log(`\n${rows.length} scenarios; longest v1 link ${Math.max(...rows.map((r) => r.v1))} characters (link lengths include "${SIMULATOR_PATH}#s=v1.")`);
  for (const s of skipped) console.log(`skipped ${s}`);
}

await main();

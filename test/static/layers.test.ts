/**
 * The rules that keep src/core, src/qapi and src/share pure really reject
 * what they are meant to reject. The repository's own tsconfig files and
 * eslint.config.js are copied into a temporary tree next to small fixture
 * files in the pure folders, and the real tools run on that tree: a check
 * that stopped catching these (a DOM lib added to tsconfig.pure.json, an
 * import rule dropped) fails here.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLINT, ROOT, runNode, TSC, type Run } from '../support/static-checks.ts';

const CONFIG_FILES = ['package.json', 'tsconfig.json', 'tsconfig.pure.json', 'eslint.config.js', 'types/pure-globals.d.ts'];

/** Fixture files by path; each says what it does wrong, or nothing. */
const FIXTURES: Record<string, string> = {
  'src/core/clean.ts': "export const bytes = new TextEncoder().encode('ok');\nexport const copy = structuredClone({ a: 1 });\n",
  'src/core/uses-document.ts': 'export const title = document.title;\n',
  'src/qapi/uses-process.ts': 'export const home = process.env.HOME;\n',
  'src/share/uses-timer.ts': 'export const id = setTimeout(() => undefined, 1);\n',
  'src/core/imports-node-fs.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
  'src/qapi/imports-bare-path.ts': "import { join } from 'path';\nexport const joined = join('a', 'b');\n",
  'src/core/imports-ui.ts': "import { widget } from '../ui/widget.ts';\nexport const w = widget;\n",
  'src/core/imports-site.ts': "import { page } from '../components/data/page.ts';\nexport const p = page;\n",
  'src/qapi/imports-core.ts': "import { bytes } from '../core/clean.ts';\nexport const b = bytes;\n",
  'src/share/imports-core.ts': "import { bytes } from '../core/clean.ts';\nexport const b = bytes;\n",
  'src/core/reads-clock.ts': 'export const now = Date.now();\nexport const today = new Date();\nexport const roll = Math.random();\n',
  'src/ui/widget.ts': "export const widget = 'w';\n",
  'src/components/data/page.ts': "export const page = 'p';\n",
};

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nsl-layers-'));
  for (const f of CONFIG_FILES) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [f, text] of Object.entries(FIXTURES)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tsconfig.pure.json gives the pure folders no DOM and no Node types', () => {
  let run: Run;
  beforeAll(async () => {
    run = await runNode([TSC, '--noEmit', '-p', 'tsconfig.pure.json'], dir);
  }, 120_000);

  it('fails the type check', () => {
    expect(run.status, run.output).not.toBe(0);
  });
  it('rejects `document` in a file under src/core', () => {
    expect(run.output).toMatch(/src\/core\/uses-document\.ts\(1,\d+\): error TS2\d+: Cannot find name 'document'/);
  });
  it('rejects `process` in a file under src/qapi', () => {
    expect(run.output).toMatch(/src\/qapi\/uses-process\.ts\(1,\d+\): error TS2\d+: Cannot find name 'process'/);
  });
  it('rejects real timers in a file under src/share', () => {
    expect(run.output).toMatch(/src\/share\/uses-timer\.ts\(1,\d+\): error TS2\d+: Cannot find name 'setTimeout'/);
  });
  it('still offers the web-platform globals Node and browsers share', () => {
    expect(run.output).not.toContain('src/core/clean.ts');
  });
});

describe('eslint.config.js keeps the layers', () => {
  /** ESLint's findings per fixture file: the rule ids it reported. */
  const found = new Map<string, string[]>();
  let run: Run;
  beforeAll(async () => {
    const files = Object.keys(FIXTURES).filter((f) => !f.startsWith('src/ui/') && !f.startsWith('src/components/'));
    run = await runNode([ESLINT, '--format', 'json', ...files], dir);
    const results = JSON.parse(run.output.slice(run.output.indexOf('['))) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[];
    for (const r of results) found.set(r.filePath.slice(dir.length + 1), r.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`));
  }, 120_000);

  const rules = (file: string) => found.get(file) ?? [`no result for ${file}`];

  it('fails the lint run', () => {
    expect(run.status).not.toBe(0);
  });
  it('rejects `node:fs` imported from src/core', () => {
    expect(rules('src/core/imports-node-fs.ts')).toContain('no-restricted-imports');
  });
  it('rejects a bare Node built-in imported from src/qapi', () => {
    expect(rules('src/qapi/imports-bare-path.ts')).toContain('no-restricted-imports');
  });
  it('rejects src/ui imported from src/core', () => {
    expect(rules('src/core/imports-ui.ts')).toContain('import-x/no-restricted-paths');
  });
  it('rejects the site (src/components) imported from src/core', () => {
    expect(rules('src/core/imports-site.ts')).toContain('import-x/no-restricted-paths');
  });
  it('rejects src/core imported from src/qapi (the layers point one way)', () => {
    expect(rules('src/qapi/imports-core.ts')).toContain('import-x/no-restricted-paths');
  });
  it('rejects the wall clock and ambient randomness in src/core', () => {
    expect(rules('src/core/reads-clock.ts')).toEqual(['no-restricted-properties', 'no-restricted-syntax', 'no-restricted-properties']);
  });
  it('lets src/share import src/core, and passes clean code', () => {
    expect(rules('src/share/imports-core.ts')).toEqual([]);
    expect(rules('src/core/clean.ts')).toEqual([]);
  });
});

/**
 * The engine runs unchanged in Node and the browser and gives the same
 * transcript every time: no Node or DOM APIs, no wall clock, no ambient
 * randomness in the pure folders.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const PURE_DIRS = ['src/core', 'src/qapi', 'src/share'];

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  for (const f of entries) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (/\.(ts|mts|js)$/.test(f)) out.push(p);
  }
  return out;
}

/** Source text without comments and string contents, so prose cannot trip the checks. */
function codeOnly(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
}

const FORBIDDEN: [RegExp, string][] = [
  [/\bwindow\b/, 'window'],
  [/\bdocument\b/, 'document'],
  [/\bnavigator\b/, 'navigator'],
  [/\blocalStorage\b|\bsessionStorage\b/, 'web storage'],
  [/\bprocess\./, 'process'],
  [/\bBuffer\b/, 'Buffer'],
  [/\brequire\(/, 'require()'],
  [/\bDate\.now\(|\bnew Date\(/, 'the wall clock'],
  [/\bperformance\.now\(/, 'performance.now()'],
  [/\bMath\.random\(/, 'Math.random()'],
  [/\bsetTimeout\(|\bsetInterval\(|\bsetImmediate\(/, 'real timers'],
  [/\bfetch\(/, 'fetch()'],
];

describe('the pure folders stay pure', () => {
  const files = PURE_DIRS.flatMap((d) => tsFiles(join(root, d)));

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    const name = relative(root, file);
    it(`${name} imports no Node or browser module`, () => {
      const src = readFileSync(file, 'utf8');
      const imports = [...src.matchAll(/(?:import|export)[^'"]*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
        (m) => m[1] ?? m[2]!,
      );
      for (const spec of imports) {
        expect(spec.startsWith('node:') || ['fs', 'path', 'os', 'net', 'child_process', 'url', 'util'].includes(spec), `${name} imports ${spec}`).toBe(false);
        if (spec.startsWith('.')) {
          const target = join(file, '..', spec);
          expect(
            PURE_DIRS.some((d) => target.startsWith(join(root, d))),
            `${name} imports ${spec}, outside the pure folders`,
          ).toBe(true);
        }
      }
    });
    it(`${name} uses no DOM, Node globals, wall clock or ambient randomness`, () => {
      const code = codeOnly(readFileSync(file, 'utf8'));
      for (const [re, what] of FORBIDDEN) expect(re.test(code), `${name} uses ${what}`).toBe(false);
    });
  }
});

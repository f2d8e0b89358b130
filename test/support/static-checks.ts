/**
 * The static checks of the repository, as commands run with this Node:
 * test/static/checks.test.ts runs them inside `npm test`, and
 * test/static/layers.test.ts runs the same tools on fixtures.
 * `npm run typecheck` and `npm run lint` (package.json) run the same commands.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;

const bin = (path: string) => join(ROOT, 'node_modules', path);
export const TSC = bin('typescript/bin/tsc');
export const ESLINT = bin('eslint/bin/eslint.js');
export const ASTRO = bin('astro/bin/astro.mjs');

export interface StaticCheck {
  /** What it checks, as the failure message names it. */
  name: string;
  /** The npm script that runs it by hand. */
  script: string;
  /** Script and arguments, run with this Node from the repository root. */
  argv: string[];
}

export const STATIC_CHECKS: StaticCheck[] = [
  {
    name: 'tsc with tsconfig.json (src, test, bench, scripts; DOM and Node types)',
    script: 'npm run typecheck',
    argv: [TSC, '--noEmit', '-p', 'tsconfig.json'],
  },
  {
    name: 'tsc with tsconfig.pure.json (src/core, src/qapi, src/share; no DOM, no Node)',
    script: 'npm run typecheck',
    argv: [TSC, '--noEmit', '-p', 'tsconfig.pure.json'],
  },
  {
    name: 'astro check (.astro components; errors and warnings fail)',
    script: 'npm run typecheck',
    argv: [ASTRO, 'check', '--noSync', '--minimumFailingSeverity', 'warning'],
  },
  {
    name: 'eslint (eslint.config.js: typescript-eslint type-aware rules and the layers; warnings fail)',
    script: 'npm run lint',
    argv: [ESLINT, '--max-warnings', '0', '.'],
  },
];

export interface Run {
  status: number;
  output: string;
}

/** Runs `node ...argv` in `cwd`; never rejects. Output is stdout then stderr, without colour. */
export function runNode(argv: string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      argv,
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        // eslint-disable-next-line no-control-regex -- removing ANSI colour codes
        const output = `${stdout}${stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
        resolve({ status: code, output });
      },
    );
  });
}

/**
 * The site's hand-written stylesheets are flat: a style rule holds
 * declarations, only at-rules (@media, @container, @supports, @layer) hold
 * rules. CSS nesting is valid syntax, so a missing `}` is no parse error:
 * the browser nests every later rule inside the unclosed one and they all
 * stop matching (the Share menu lost its styles that way). This finds such
 * a rule, and braces that do not balance, with the file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/site.ts';

function cssFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return cssFiles(path);
    return name.endsWith('.css') ? [path] : [];
  });
}

/** Problems in one stylesheet: rules nested in style rules, unbalanced braces. */
function nestingProblems(css: string): string[] {
  const problems: string[] = [];
  const open: { atRule: boolean; line: number }[] = [];
  let line = 1;
  let prelude = '';
  for (let i = 0; i < css.length; i++) {
    const c = css[i]!;
    if (c === '\n') line++;
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      const stop = end < 0 ? css.length : end + 2;
      line += (css.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop - 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c) j += css[j] === '\\' ? 2 : 1;
      prelude += css.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '{') {
      const parent = open[open.length - 1];
      if (parent && !parent.atRule) problems.push(`line ${line}: "${prelude.trim()}" opens inside the rule opened on line ${parent.line} (a missing "}"?)`);
      open.push({ atRule: prelude.trim().startsWith('@'), line });
      prelude = '';
    } else if (c === '}') {
      if (!open.pop()) problems.push(`line ${line}: "}" closes nothing`);
      prelude = '';
    } else if (c === ';') {
      prelude = '';
    } else {
      prelude += c;
    }
  }
  for (const o of open) problems.push(`line ${o.line}: the block opened here is never closed`);
  return problems;
}

describe('the stylesheets in src/', () => {
  it('tell a rule nested by a missing brace from a flat one', () => {
    expect(nestingProblems('a { color: red; }\n@media (x) { b { c: d } }')).toEqual([]);
    expect(nestingProblems('a { content: "{"; }')).toEqual([]);
    expect(nestingProblems('a {\n  margin: 0;\n\nb {\n  c: d;\n}\n')).toEqual([
      'line 4: "b" opens inside the rule opened on line 1 (a missing "}"?)',
      'line 1: the block opened here is never closed',
    ]);
  });

  it('close every style rule before the next rule starts', () => {
    const files = cssFiles(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(3);
    const problems = files.flatMap((f) => nestingProblems(readFileSync(f, 'utf8')).map((p) => `${relative(ROOT, f)} ${p}`));
    expect(problems).toEqual([]);
  });
});

// Shared by the QAPI tests: reading schema files from disk (tests may use Node).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSchema, type Schema } from '../../src/qapi/index.ts';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A readFile for loadSchema rooted at `dir`, failing with a message that does not depend on the machine. */
export function readerIn(dir: string): (path: string) => string {
  return (path) => {
    const full = join(dir, path);
    if (!existsSync(full)) throw new Error('no such file');
    return readFileSync(full, 'utf8');
  };
}

let cached: Schema | undefined;

/** The project's schema (content/qapi), loaded once. */
export function projectSchema(): Schema {
  if (!cached) {
    const r = loadSchema('content/qapi/schema.json', readerIn(repoRoot));
    if (!r.ok) throw new Error(`content/qapi does not load:\n${r.errors.join('\n')}`);
    cached = r.schema;
  }
  return cached;
}

/** Releases the project models, oldest first. */
export const RELEASES = ['7.2', '8.0', '8.1', '8.2', '9.0', '9.1', '9.2', '10.0', '10.1', '10.2', '11.0', '11.1'];

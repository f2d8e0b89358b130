/** Running netdev-sim's main() in tests, with files in a private directory. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, nodeIo, type Io } from '../../src/cli/main.ts';

/** A temporary directory and a writer of JSON (or text) files in it. */
export function tempFiles(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = (name: string, content: unknown, indent?: number) => {
    const p = join(dir, name);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, indent));
    return p;
  };
  return { dir, file };
}

/** Runs the CLI in-process and collects what it printed. */
export async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const io: Io = { ...nodeIo, out: (t) => (out += t), err: (t) => (err += t) };
  const status = await main(argv, io);
  return { status, out, err };
}

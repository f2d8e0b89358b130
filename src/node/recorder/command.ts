/**
 * The QEMU to record: a program and its leading words, as a user types
 * them (`qemu-system-x86_64`, `chroot /srv/sid qemu-system-x86_64`,
 * `npx netdev-sim qemu --release 7.2`). A QEMU run through chroot(8) sees
 * the recorder's private directories only when they are bind-mounted into
 * its tree at the same path; the recorder does that for it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface QemuCommand {
  /** Program and leading words. */
  words: string[];
  /** The new root when the program is chroot(8). */
  chrootRoot: string | null;
  /** As the user wrote it. */
  text: string;
}

export class CommandError extends Error {}

/** Splits a command the way a shell would for plain words, 'single' and "double" quotes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new CommandError(`--qemu: unterminated ${quote} quote in ${JSON.stringify(text)}`);
  if (inWord) words.push(cur);
  return words;
}

export function parseCommand(text: string): QemuCommand {
  const words = splitWords(text);
  if (words.length === 0) throw new CommandError('--qemu: give the QEMU program, e.g. --qemu qemu-system-x86_64');
  let chrootRoot: string | null = null;
  if (basename(words[0]!) === 'chroot') {
    chrootRoot = words.slice(1).find((w) => !w.startsWith('-')) ?? null;
    if (chrootRoot === null) throw new CommandError(`--qemu: chroot needs a new root directory in ${JSON.stringify(text)}`);
  }
  return { words, chrootRoot, text };
}

/** Makes `dir` visible inside `root` at the same path; returns the undo. */
export function bindInto(root: string, dir: string): () => void {
  const inside = join(root, dir);
  mkdirSync(inside, { recursive: true });
  const r = spawnSync('mount', ['--bind', dir, inside], { encoding: 'utf8' });
  if (r.status !== 0) {
    try {
      rmdirSync(inside);
    } catch {
      // Leave it: not ours to judge.
    }
    const why = r.error ? r.error.message : (r.stderr || `exit status ${r.status}`).trim();
    throw new CommandError(`cannot bind-mount ${dir} into ${root} for the chroot'd QEMU (needs root): ${why}`);
  }
  return () => {
    spawnSync('umount', [inside]);
    try {
      rmdirSync(inside);
    } catch {
      // Still mounted or not empty: leave it rather than remove files through the mount.
    }
  };
}

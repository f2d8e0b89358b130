/**
 * Node's socket errors as the errno QEMU would have met: the names the
 * core words (core/net/strerror.ts), the errno a unix bind really failed
 * with, and getaddrinfo()'s EAI_ names.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { STRERROR_TEXT } from '../core/net/strerror.ts';

/**
 * The errno name of a Node error, as the core knows it; an error whose
 * code the core has no text for is named by Node's message.
 */
export function errnoOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code !== undefined && code in STRERROR_TEXT) return code;
  return (e as Error)?.message ?? String(e);
}

/**
 * Node reports every failed bind of a unix socket as EACCES; find the errno
 * bind(2) gave, the way QEMU would print it.
 */
export function unixBindErrno(path: string, e: unknown): string {
  if ((e as NodeJS.ErrnoException)?.code === 'EACCES') {
    const dir = dirname(path);
    try {
      if (!statSync(dir).isDirectory()) return 'ENOTDIR';
    } catch (inner) {
      return (inner as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'ENOTDIR' : 'ENOENT';
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return 'EACCES';
    }
    if (existsSync(path)) return 'EADDRINUSE';
  }
  return errnoOf(e);
}

/** getaddrinfo()'s EAI_ name for Node's resolver failures. */
export function gaiErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  return code === 'EAI_AGAIN' || code === 'EAI_FAIL' ? code : 'EAI_NONAME';
}

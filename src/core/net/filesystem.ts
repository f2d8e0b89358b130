/**
 * The simulated machine's filesystem as far as sockets see it: which
 * directories exist, the working directory relative paths start from, and
 * path resolution. Socket files themselves live in the kernel's state.
 */

/** Directories that exist on the simulated machine. */
export const SIMULATED_DIRECTORIES: readonly string[] = [
  '/',
  '/dev',
  '/dev/shm',
  '/home',
  '/root',
  '/run',
  '/run/libvirt',
  '/run/libvirt/qemu',
  '/run/libvirt/qemu/passt',
  '/run/user',
  '/run/user/1000',
  '/tmp',
  '/tmp/sim',
  '/var',
  '/var/lib',
  '/var/lib/libvirt',
  '/var/lib/libvirt/qemu',
  '/var/run',
  '/var/tmp',
];

/** Relative socket paths are taken from this working directory. */
export const WORKING_DIRECTORY = '/tmp/sim';

const absoluteCache = new Map<string, string>();

export function absolutePath(path: string): string {
  const hit = absoluteCache.get(path);
  if (hit !== undefined) return hit;
  const abs = computeAbsolutePath(path);
  if (absoluteCache.size > 10_000) absoluteCache.clear();
  absoluteCache.set(path, abs);
  return abs;
}

function computeAbsolutePath(path: string): string {
  const parts = (path.startsWith('/') ? path : `${WORKING_DIRECTORY}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}

export function parentDirectory(abs: string): string {
  const i = abs.lastIndexOf('/');
  return i <= 0 ? '/' : abs.slice(0, i);
}

const directories = new Set(SIMULATED_DIRECTORIES);

export function isDirectory(abs: string): boolean {
  return directories.has(abs);
}

/**
 * The lookup of a path by Linux (path_lookupat()) as far as it can fail
 * before the socket call looks at the last component: every component
 * before it must be a directory (the first that is not gives ENOTDIR when
 * something else exists there, `isFile`, a socket file, and ENOENT when
 * nothing does), `..` is taken on the way as the kernel does, not
 * lexically first; and a trailing slash demands that the last component be
 * a directory too (ENOTDIR for a socket file, ENOENT when it does not
 * exist, so bind() cannot create "x.sock/"; for bind, `creating`, an
 * existing file is left to the caller, which finds the name in use).
 * Null when none of this fails.
 */
export function pathLookupError(path: string, isFile: (abs: string) => boolean, creating = false): 'ENOENT' | 'ENOTDIR' | null {
  const parts = path.split('/').filter((p) => p !== '');
  const last = parts.pop();
  let dir = path.startsWith('/') ? '/' : WORKING_DIRECTORY;
  for (const p of parts) {
    if (p === '.') continue;
    if (p === '..') {
      dir = parentDirectory(dir);
      continue;
    }
    const next = dir === '/' ? `/${p}` : `${dir}/${p}`;
    if (isDirectory(next)) dir = next;
    else return isFile(next) ? 'ENOTDIR' : 'ENOENT';
  }
  if (last !== undefined && last !== '.' && last !== '..' && path.endsWith('/')) {
    const abs = dir === '/' ? `/${last}` : `${dir}/${last}`;
    if (!isDirectory(abs) && !isFile(abs)) return 'ENOENT';
    if (!isDirectory(abs) && !creating) return 'ENOTDIR';
  }
  return null;
}

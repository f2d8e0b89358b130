// The Debian packages the tests need, in one place, and the step of
// `npm test` that installs the missing ones (scripts/node-launch.mjs runs it
// before the tests). As root with apt-get it installs them, in one
// apt-get install, saying what it installs; otherwise it stops with one
// message that names the command to run.
//
// Plain JavaScript that any Node from 18 on can run.
import { spawnSync } from 'node:child_process';

/** Debian package, the program it provides, and which tests need it. */
export const TEST_PACKAGES = [
  { name: 'chromium', bin: 'chromium', why: 'browser tests of the built site (test/e2e)' },
  { name: 'socat', bin: 'socat', why: 'a real peer for the stand-in QEMU (test/node)' },
  { name: 'passt', bin: 'passt', why: 'passt as a real peer (live tests)' },
  { name: 'qemu-system-x86', bin: 'qemu-system-x86_64', why: 'QEMU 7.2 itself (live tests)' },
];

/** The command a person runs to install `names`. */
export function installCommand(names) {
  return `apt-get install -y --no-install-recommends ${names.join(' ')}`;
}

function run(command, args, env, stdio = 'pipe') {
  return spawnSync(command, args, { env, encoding: 'utf8', stdio });
}

function onPath(command, env) {
  const r = run('sh', ['-c', `command -v "$1"`, 'sh', command], env);
  return r.status === 0;
}

/**
 * Which of `packages` are not installed: dpkg-query's status of each when
 * dpkg-query exists, otherwise whether its program is on PATH.
 */
export function missingPackages(packages, env = process.env) {
  if (onPath('dpkg-query', env)) {
    const r = run('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...packages.map((p) => p.name)], env);
    const installed = new Set(
      (r.stdout ?? '')
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((w) => w.length >= 4 && w.slice(-3).join(' ') === 'install ok installed')
        .map((w) => w[0].replace(/:.*$/, '')),
    );
    return packages.filter((p) => !installed.has(p.name));
  }
  return packages.filter((p) => !onPath(p.bin, env));
}

/**
 * Makes sure the test packages are installed. Returns { ok: true } when they
 * are (or were just installed), else { ok: false, message }.
 *
 * options.env: environment for the commands (PATH decides which apt-get and
 * dpkg-query run); options.isRoot: whether we may install; options.log:
 * where progress goes.
 */
export function ensureTestPackages(options = {}) {
  const env = options.env ?? process.env;
  const isRoot = options.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const packages = options.packages ?? TEST_PACKAGES;

  const missing = missingPackages(packages, env);
  if (missing.length === 0) return { ok: true, installed: [] };
  const names = missing.map((p) => p.name);
  const list = missing.map((p) => `  ${p.name}: ${p.why}`).join('\n');

  if (!isRoot || !onPath('apt-get', env)) {
    const why = isRoot ? 'apt-get is not available here' : 'installing them needs root';
    return {
      ok: false,
      message:
        `The tests need Debian packages that are not installed, and ${why}:\n${list}\n` +
        `Install them, then run npm test again:\n  ${isRoot ? '' : 'sudo '}${installCommand(names)}`,
    };
  }

  log(`Installing Debian packages the tests need:\n${list}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update', '-qq'], aptEnv, ['ignore', 'inherit', 'inherit']);
  if (update.status !== 0) log('apt-get update failed; trying the install with the package lists there are');
  const install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], aptEnv, ['ignore', 'inherit', 'inherit']);
  const still = missingPackages(missing, env);
  if (install.status !== 0 || still.length > 0) {
    const left = (still.length > 0 ? still : missing).map((p) => p.name);
    return {
      ok: false,
      message: `Installing Debian packages failed (apt-get install exited ${install.status}); still missing: ${left.join(', ')}.\nRun it by hand to see why:\n  ${installCommand(left)}`,
    };
  }
  return { ok: true, installed: names };
}

// Types of system-packages.mjs, for the TypeScript that imports it (its test).
export interface TestPackage {
  /** The Debian package. */
  name: string;
  /** A program it installs, looked for on PATH where dpkg-query is missing. */
  bin: string;
  /** Which tests need it. */
  why: string;
}
export const TEST_PACKAGES: TestPackage[];
export function installCommand(names: string[]): string;
export function missingPackages(packages: TestPackage[], env?: NodeJS.ProcessEnv): TestPackage[];
export type EnsureResult = { ok: true; installed: string[] } | { ok: false; message: string };
export function ensureTestPackages(options?: {
  env?: NodeJS.ProcessEnv;
  isRoot?: boolean;
  log?: (line: string) => void;
  packages?: TestPackage[];
}): EnsureResult;

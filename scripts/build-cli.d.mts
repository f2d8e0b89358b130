// Types of build-cli.mjs, for the TypeScript that imports it (test/support/build-standin.ts, scripts/build-exe.mjs).
/** The directory of the bundles. */
export const OUT_DIR: string;
/** Path of the bundled CLI. */
export const BUNDLE: string;
/** Path of the bundled library entry. */
export const LIBRARY: string;
/** esbuild options the package's bundles share. */
export const COMMON: Record<string, unknown>;
/** Whether the bundles are newer than every source they are built from. */
export function bundleIsCurrent(): boolean;
/** Builds the bundles unless they are current (or `force`); resolves to the CLI's path. */
export function buildCli(options?: { force?: boolean }): Promise<string>;

// Types of build-cli.mjs, for the TypeScript that imports it (test/support/build-standin.ts).
/** Path of the bundled CLI. */
export const BUNDLE: string;
/** Whether the bundle is newer than every source it is built from. */
export function bundleIsCurrent(): boolean;
/** Builds the bundle unless it is current (or `force`); resolves to its path. */
export function buildCli(options?: { force?: boolean }): Promise<string>;

// Types of build-native.mjs, for the TypeScript that imports it (test/support/build-standin.ts).
/** The native helper's main C source. */
export const SOURCE: string;
/** Every C source compiled into the helper. */
export const SOURCES: string[];
/** The built Node addon. */
export const OUTPUT: string;
/** Compiles the helper unless it is current (or `force`); returns the addon's path. */
export function buildNative(options?: { force?: boolean; quiet?: boolean }): string;

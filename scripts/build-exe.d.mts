// Types of build-exe.mjs, for the TypeScript that imports it (test/package/sea.test.ts).
/** Where `npm run build:exe` writes the executable. */
export const EXE: string;
/** Builds the single executable at `out` (default EXE) from the Node binary `node` (default this one); resolves to its path. */
export function buildExe(options?: { out?: string; node?: string }): Promise<string>;

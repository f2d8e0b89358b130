/// <reference types="vite/client" />
/**
 * The files the site is built from, bundled by Vite at build time:
 * the QAPI schema (content/qapi), the real-QEMU recordings
 * (content/conformance), our own example scenarios (src/content/examples)
 * and the guided scenarios (content/scenarios, when present).
 *
 * Keys are paths from the repository root without a leading slash, e.g.
 * "content/conformance/scenarios/04-server-inet4@11.1.json"; pages name
 * scenarios by these paths so the build test can find the same file.
 */
const raw = (files: Record<string, unknown>): Map<string, string> =>
  new Map(Object.entries(files).map(([k, v]) => [k.replace(/^\//, ''), v as string]));

export const QAPI_FILES = raw(
  import.meta.glob('/content/qapi/*.json', { query: '?raw', import: 'default', eager: true }),
);

export const CONFORMANCE_FILES = raw(
  import.meta.glob(['/content/conformance/**/*.json', '/content/conformance/**/*.jsonl', '/content/conformance/**/*.txt', '/content/conformance/README.md', '/content/conformance/RECORDED-HERE.md'], {
    query: '?raw',
    import: 'default',
    eager: true,
  }),
);

export const EXAMPLE_FILES = raw(
  import.meta.glob('/src/content/examples/*.json', { query: '?raw', import: 'default', eager: true }),
);

export const GUIDED_FILES = raw(
  import.meta.glob('/content/scenarios/**/*.json', { query: '?raw', import: 'default', eager: true }),
);

/** The text of a source file by its repository path. */
export function sourceFile(path: string): string {
  const text = QAPI_FILES.get(path) ?? CONFORMANCE_FILES.get(path) ?? EXAMPLE_FILES.get(path) ?? GUIDED_FILES.get(path);
  if (text === undefined) throw new Error(`the site has no source file ${path}`);
  return text;
}

/**
 * Build-time data of /embed/: each guided scenario's trace as a file of its
 * own (src/pages/embed/traces/[slug].json.ts), and the index the page
 * carries to find them (src/ui/embed/guided.ts explains the lookup).
 */
import { toRecordV1 } from '../../share/record-v1.ts';
import { keyHash, recordKey, type GuidedIndex, type GuidedTrace } from '../../ui/embed/guided.ts';
import { withBase } from '../data/paths.ts';
import { library, type LibraryEntry } from '../simulator/library.ts';
import { traceOf } from '../simulator/data.ts';

const keyOf = (e: LibraryEntry) => recordKey(toRecordV1(e.scenario, e.scenario.qemu, 0));

export const traceFile = (slug: string) => withBase(`/embed/traces/${slug}.json`);

export function guidedIndex(): GuidedIndex {
  return Object.fromEntries(library().map((e) => [keyHash(keyOf(e)), traceFile(e.slug)]));
}

export function guidedTrace(e: LibraryEntry): GuidedTrace {
  return { key: keyOf(e), trace: traceOf(e.file, e.scenario) };
}

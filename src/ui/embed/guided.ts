/**
 * Recognising a guided scenario in a share link without running anything:
 * a v1 record is [step, qemu, release, title, description, netdevs, steps],
 * and everything but the step names what is shown. The build writes each
 * guided scenario's trace (src/pages/embed/traces/) with that text; the
 * embed looks the link's text up by a short hash, then compares the whole
 * text, so a prebuilt trace is used only for exactly that scenario.
 */

/** The record without its step, as text. */
export function recordKey(record: readonly unknown[]): string {
  return JSON.stringify(record.slice(1));
}

/** A 53-bit hash of a text, in base 36 (cyrb53): for lookup only, never trusted alone. */
export function keyHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** What the embed page carries about the guided scenarios: hash -> trace file. */
export type GuidedIndex = Record<string, string>;

/** A prebuilt trace file's content. */
export interface GuidedTrace {
  key: string;
  trace: import('../trace/types.ts').Trace;
}

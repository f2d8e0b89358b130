/**
 * The v1 record in a share link, read and written with the codec's own
 * pieces (base64url, capped raw deflate) but without checking the scenario:
 * the embed uses a record only to recognise a guided scenario, or to put
 * the step it shows into the "Open in the simulator" link. Anything odd
 * gives null; the embed then asks the engine, which says what is wrong in
 * the simulator's words.
 */
import { fromBase64url, toBase64url } from '../../share/base64url.ts';
import { deflateRaw, inflateRaw } from '../../share/deflate.ts';

/** Largest record read here: the codec's own cap (src/share/link.ts). */
const MAX_RECORD_BYTES = 1024 * 1024;

/** The `s=` value of a fragment ("#s=v1.…&x"), or null. */
export function linkParam(hash: string): string | null {
  for (const part of hash.replace(/^#/, '').split('&')) if (part.startsWith('s=')) return part.slice(2);
  return null;
}

/** The record a `v1.` link holds, or null. */
export async function readRecord(link: string): Promise<unknown[] | null> {
  if (!link.startsWith('v1.')) return null;
  const b64 = fromBase64url(link.slice(3));
  if (!b64.ok) return null;
  const inflated = await inflateRaw(b64.bytes, MAX_RECORD_BYTES);
  if (!inflated.ok) return null;
  try {
    const record: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes));
    return Array.isArray(record) && record.length === 7 ? record : null;
  } catch {
    return null;
  }
}

/** The fragment (`s=v1.…`) of a record with its step set to `step`. */
export async function fragmentAt(record: readonly unknown[], step: number): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify([step, ...record.slice(1)]));
  return `s=v1.${toBase64url(await deflateRaw(bytes))}`;
}

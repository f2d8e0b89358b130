// Where a definition or member exists, in words: an `if` condition becomes
// the modelled releases it holds in ("8.0 to 10.1", "from 9.2") and the
// build conditions it carries ("HAVE_IPPROTO_MPTCP"). For the docs model.

import type { IfCond } from './ir.ts';
import { compareReleases, evalIf, parseRelease, releaseOfSymbol } from './query.ts';

/** Where something exists. */
export interface Presence {
  /** Releases (of the modelled list) in which the release part of the condition holds. */
  releases: string[];
  /** "8.0 to 10.1", "from 9.2", "up to 9.1", "7.2 only"; null when present in every modelled release. */
  releaseText: string | null;
  /** The build-condition part, e.g. "HAVE_IPPROTO_MPTCP" or "CONFIG_PASST"; null when none. */
  buildText: string | null;
  /** The whole condition as text, e.g. "QEMU_8_0 and not QEMU_10_2"; null when unconditional. */
  conditionText: string | null;
}

function isReleaseOnly(c: IfCond): boolean {
  switch (c.op) {
    case 'name':
      return releaseOfSymbol(c.name) !== null;
    case 'not':
      return isReleaseOnly(c.arg);
    default:
      return c.args.every(isReleaseOnly);
  }
}

function isBuildOnly(c: IfCond): boolean {
  switch (c.op) {
    case 'name':
      return releaseOfSymbol(c.name) === null;
    case 'not':
      return isBuildOnly(c.arg);
    default:
      return c.args.every(isBuildOnly);
  }
}

/** Condition as text: `A and (B or not C)`. */
export function conditionText(c: IfCond): string {
  const inner = (x: IfCond) => (x.op === 'all' || x.op === 'any' ? `(${conditionText(x)})` : conditionText(x));
  switch (c.op) {
    case 'name':
      return c.name;
    case 'not':
      return `not ${inner(c.arg)}`;
    case 'all':
      return c.args.map(inner).join(' and ');
    case 'any':
      return c.args.map(inner).join(' or ');
  }
}

export function sortReleases(releases: readonly string[]): string[] {
  return [...releases].sort((a, b) => compareReleases(parseRelease(a), parseRelease(b)));
}

function releaseHolds(cond: IfCond, release: string): boolean {
  const r = parseRelease(release);
  return evalIf(cond, (sym) => {
    const s = releaseOfSymbol(sym);
    return s !== null && compareReleases(r, s) >= 0;
  });
}

/** "8.0 to 10.1", "from 9.2", "up to 9.1", "7.2 only", joined by ", " for several runs. */
export function describeReleaseSet(present: readonly string[], all: readonly string[]): string | null {
  const sorted = sortReleases(all);
  const set = new Set(present);
  if (sorted.every((r) => set.has(r))) return null;
  const runs: [number, number][] = [];
  sorted.forEach((r, i) => {
    if (!set.has(r)) return;
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  });
  if (runs.length === 0) return 'in no modelled release';
  const end = sorted.length - 1;
  return runs
    .map(([a, b]) => {
      if (a === b && b !== end && a !== 0) return `${sorted[a]} only`;
      if (b === end) return `from ${sorted[a]}`;
      if (a === 0) return `up to ${sorted[b]}`;
      return `${sorted[a]} to ${sorted[b]}`;
    })
    .join(', ');
}

/** Splits a condition into its release and build parts and describes both. */
export function describePresence(cond: IfCond | undefined, releases: readonly string[]): Presence {
  const sorted = sortReleases(releases);
  if (!cond) return { releases: sorted, releaseText: null, buildText: null, conditionText: null };
  let releasePart: IfCond | undefined;
  let buildPart: IfCond | undefined;
  if (isReleaseOnly(cond)) releasePart = cond;
  else if (isBuildOnly(cond)) buildPart = cond;
  else if (cond.op === 'all' && cond.args.every((a) => isReleaseOnly(a) || isBuildOnly(a))) {
    const r = cond.args.filter(isReleaseOnly);
    const b = cond.args.filter((a) => !isReleaseOnly(a));
    releasePart = r.length === 1 ? r[0] : { op: 'all', args: r };
    buildPart = b.length === 1 ? b[0] : { op: 'all', args: b };
  }
  const text = conditionText(cond);
  if (!releasePart && !buildPart) {
    // Release and build symbols mixed under 'any' or 'not': list the releases
    // where some build could have it, and show the condition as written.
    const present = sorted.filter((r) =>
      evalIf(cond, (sym) => {
        const s = releaseOfSymbol(sym);
        return s === null ? true : compareReleases(parseRelease(r), s) >= 0;
      }),
    );
    return { releases: present, releaseText: describeReleaseSet(present, sorted), buildText: text, conditionText: text };
  }
  const present = releasePart ? sorted.filter((r) => releaseHolds(releasePart, r)) : sorted;
  return {
    releases: present,
    releaseText: releasePart ? describeReleaseSet(present, sorted) : null,
    buildText: buildPart ? conditionText(buildPart) : null,
    conditionText: text,
  };
}

/** "from 9.2" and "up to 9.1" read on their own; other ranges take "in". */
export function rangePhrase(text: string): string {
  return text.startsWith('from ') || text.startsWith('up to ') ? text : `in ${text}`;
}

/**
 * The reference pages' data: our QAPI schema (content/qapi) through the
 * docs-model visitor, with the per-release member types the engine's
 * argument checker uses, so a type note cannot disagree with what the
 * simulated monitor accepts.
 */
import { buildDocsModel, rangePhrase, type DefinitionModel, type DocsModel, type Presence } from '../../qapi/docs-model.ts';
import type { Schema } from '../../qapi/index.ts';
import { visitOptionsFor } from '../../core/qmp/schema-checker.ts';
import { RELEASES, RELEASE_NAMES } from '../../core/releases.ts';
import { QAPI_FILES } from './sources.ts';
import { loadSiteSchema, referencePath } from './reference-index.ts';
import { withBase } from './paths.ts';

let cached: { schema: Schema; model: DocsModel } | null = null;

/** For each `Type.member` whose type differs by release, the releases of each type. */
export function typeOverrides(): { key: string; type: string; releases: string[] }[] {
  const byKey = new Map<string, Map<string, string[]>>();
  for (const r of RELEASES) {
    for (const [key, type] of Object.entries(visitOptionsFor(r).typeOverrides ?? {})) {
      const types = byKey.get(key) ?? new Map<string, string[]>();
      types.set(type, [...(types.get(type) ?? []), r.name]);
      byKey.set(key, types);
    }
  }
  return [...byKey].flatMap(([key, types]) => [...types].map(([type, releases]) => ({ key, type, releases })));
}

export function siteSchema(): { schema: Schema; model: DocsModel } {
  if (!cached) {
    const schema = loadSiteSchema((file) => {
      const text = QAPI_FILES.get(`content/qapi/${file}`);
      if (text === undefined) throw new Error(`content/qapi/${file} not found`);
      return text;
    });
    cached = { schema, model: buildDocsModel(schema, { releases: RELEASE_NAMES, typeOverrides: typeOverrides() }) };
  }
  return cached;
}

export function definitionModel(name: string): DefinitionModel | undefined {
  return siteSchema().model.definitions.find((d) => d.name === name);
}

/** Link (base path included) to a definition's page, or null when the name has no page. */
export function definitionHref(name: string): string | null {
  const d = definitionModel(name);
  return d ? withBase(referencePath(d.kind, d.name)) : null;
}

/**
 * Release notes for something present in only some releases: the
 * docs-model's "present from 9.2" / "present in 8.0 to 10.1", plus
 * "removed in 10.2" when it stops before the newest release.
 */
export function presenceNotes(p: Presence): string[] {
  const notes: string[] = [];
  if (p.releaseText) notes.push(`present ${rangePhrase(p.releaseText)}`);
  const last = p.releases.at(-1);
  const lastIndex = last ? RELEASE_NAMES.indexOf(last) : -1;
  if (lastIndex >= 0 && lastIndex < RELEASE_NAMES.length - 1) notes.push(`removed in ${RELEASE_NAMES[lastIndex + 1]}`);
  if (p.buildText) notes.push(`only in builds where ${p.buildText} holds`);
  return notes;
}

/** A member's or value's notes: the docs-model's, with "removed in" added after the presence note. */
export function memberNotes(notes: readonly string[], p: Presence): string[] {
  const removed = presenceNotes(p).filter((n) => n.startsWith('removed in '));
  const out = [...notes];
  const at = out.findIndex((n) => n.startsWith('present '));
  out.splice(at >= 0 ? at + 1 : 0, 0, ...removed);
  return out;
}

/** Free-form headings ("== Socket addresses") with the definitions under each, in schema order. */
export function schemaSections(): { title: string; definitions: DefinitionModel[] }[] {
  const { model } = siteSchema();
  const out: { title: string; definitions: DefinitionModel[] }[] = [];
  const headingBefore = new Map<string, string>();
  for (const s of model.sections) {
    const m = /^==\s+(.+)$/m.exec(s.text);
    if (m && s.before) headingBefore.set(s.before, m[1]!.trim());
  }
  for (const d of model.definitions) {
    const title = headingBefore.get(d.name);
    if (title || out.length === 0) out.push({ title: title ?? 'Definitions', definitions: [] });
    out.at(-1)!.definitions.push(d);
  }
  return out;
}

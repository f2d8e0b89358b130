/**
 * Where each QAPI definition lives on the site, shared by the sidebar
 * (astro.config.mjs) and the reference pages so the two cannot disagree.
 *
 *   events   -> /reference/events/NAME/
 *   commands -> /reference/commands/NAME/
 *   types    -> /reference/types/NAME/   (enums, structs, unions, alternates)
 */
import { loadSchema, type Definition, type Meta, type ReadFile, type Schema } from '../../qapi/index.ts';

export type ReferenceGroup = 'events' | 'commands' | 'types';

export const GROUP_TITLES: Record<ReferenceGroup, string> = {
  events: 'Events',
  commands: 'Commands',
  types: 'Types',
};

export const GROUP_ORDER: readonly ReferenceGroup[] = ['events', 'commands', 'types'];

export function groupOf(kind: Meta): ReferenceGroup {
  if (kind === 'event') return 'events';
  if (kind === 'command') return 'commands';
  return 'types';
}

/** Site path of a definition's page, without the base path. */
export function referencePath(kind: Meta, name: string): string {
  return `/reference/${groupOf(kind)}/${name}/`;
}

/** Loads content/qapi/schema.json through `readFile` or throws every error found. */
export function loadSiteSchema(readFile: ReadFile): Schema {
  const r = loadSchema('schema.json', readFile);
  if (!r.ok) throw new Error(`content/qapi has errors:\n${r.errors.join('\n')}`);
  return r.schema;
}

/** Definitions that get a page: every named one (implicit argument types are part of their owner). */
export function documentedDefinitions(schema: Schema): Definition[] {
  return schema.definitions.filter((d) => !d.implicitOwner);
}

const byName = (a: { name: string }, b: { name: string }) =>
  a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });

/** The names in each group, sorted for a reader scanning a menu. */
export function groupedDefinitions(schema: Schema): Record<ReferenceGroup, Definition[]> {
  const out: Record<ReferenceGroup, Definition[]> = { events: [], commands: [], types: [] };
  for (const d of documentedDefinitions(schema)) out[groupOf(d.meta)].push(d);
  for (const g of GROUP_ORDER) out[g].sort(byName);
  return out;
}

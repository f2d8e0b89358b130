// Visitor: plain data for the reference pages, one entry per definition.
// It decides nothing about HTML; the page builder renders it.
//
// `if` conditions become release ranges ("8.0 to 10.1", "from 9.2") over
// the list of modelled releases the caller passes, plus the build
// conditions they carry ("HAVE_IPPROTO_MPTCP"); see presence.ts.

import type { Definition, DocSection, DocSectionTag, Feature, IfCond, Member, Meta, Schema, TypeRef } from './ir.ts';
import { lookup } from './query.ts';
import { describePresence, describeReleaseSet, rangePhrase, sortReleases, type Presence } from './presence.ts';

export { conditionText, describePresence, describeReleaseSet, rangePhrase, type Presence } from './presence.ts';

export interface DocsModelOptions {
  /** Modelled releases, e.g. ['7.2', '8.0', ..., '11.1']; sorted here. */
  releases: readonly string[];
  /**
   * Member types that differ by release, keyed `Type.member`, as the
   * engine passes them to visitInput; shown as notes on the member.
   */
  typeOverrides?: readonly { key: string; type: string; releases: readonly string[] }[];
}

export interface TypeLink {
  /** As written: 'SocketAddress', 'str', '[CommandInfo]'. */
  text: string;
  /** Name of the definition to link to; null for built-in types. */
  link: string | null;
  array: boolean;
}

export interface FeatureModel {
  name: string;
  description: string;
  presence: Presence;
}

export interface MemberModel {
  name: string;
  type: TypeLink;
  optional: boolean;
  description: string;
  features: FeatureModel[];
  /** True when a 'deprecated' feature applies in at least one modelled release. */
  deprecated: boolean;
  presence: Presence;
  /** Short per-release facts: presence, deprecation, type changes, build conditions. */
  notes: string[];
}

export interface EnumValueModel {
  name: string;
  description: string;
  presence: Presence;
  notes: string[];
}

export interface BranchModel {
  /** The discriminator value (union) or branch name (alternate). */
  name: string;
  type: TypeLink;
  presence: Presence;
}

export interface DefinitionModel {
  name: string;
  kind: Meta;
  /** URL fragment for the definition. */
  anchor: string;
  file: string;
  line: number;
  summary: string;
  body: string;
  since: string | null;
  /** One line, e.g. "netdev_del(id: str)" or "struct InetSocketAddress: InetSocketAddressBase". */
  signature: string;
  presence: Presence;
  /** Own members: struct members, a union's common members, command arguments, event data. */
  members: MemberModel[];
  /** Struct or union base, when it is a named type. */
  base: TypeLink | null;
  discriminator: string | null;
  branches: BranchModel[];
  values: EnumValueModel[];
  /** A command's or event's data when it is a named type (boxed or not). */
  data: TypeLink | null;
  returns: { type: TypeLink; description: string } | null;
  /** Further sections by tag (Notes, Errors, Example), text as written. */
  sections: { tag: DocSectionTag; text: string }[];
  features: FeatureModel[];
  /** Definitions that refer to this one, in schema order. */
  usedBy: string[];
  flags: string[];
}

export interface DocsModel {
  definitions: DefinitionModel[];
  /** Headings and prose from free-form doc blocks, with the definition they precede. */
  sections: { text: string; before: string | null }[];
}

// ---- definitions -------------------------------------------------------------

function typeLink(schema: Schema, ref: TypeRef): TypeLink {
  const def = ref.builtin ? undefined : lookup(schema, ref.name);
  return {
    text: ref.array ? `[${ref.name}]` : ref.name,
    link: def && !def.implicitOwner ? def.name : null,
    array: ref.array,
  };
}

function namedLink(schema: Schema, name: string): TypeLink {
  return typeLink(schema, { name, array: false, builtin: false });
}

function presenceNotes(p: Presence): string[] {
  const notes: string[] = [];
  if (p.releaseText) notes.push(`present ${rangePhrase(p.releaseText)}`);
  if (p.buildText) notes.push(`only in builds where ${p.buildText} holds`);
  return notes;
}

export function buildDocsModel(schema: Schema, opts: DocsModelOptions): DocsModel {
  const releases = sortReleases(opts.releases);
  const presence = (c: IfCond | undefined) => describePresence(c, releases);

  const featureModel = (f: Feature, docText: string): FeatureModel => ({ name: f.name, description: docText, presence: presence(f.if) });

  const usedBy = new Map<string, string[]>();
  const noteUse = (user: Definition, name: string | undefined) => {
    if (!name) return;
    const target = lookup(schema, name);
    if (!target) return;
    const owner = target.implicitOwner ? undefined : target.name;
    const userName = user.implicitOwner ?? user.name;
    if (!owner || owner === userName) return;
    const list = usedBy.get(owner) ?? [];
    if (!list.includes(userName)) list.push(userName);
    usedBy.set(owner, list);
  };
  for (const d of schema.definitions) {
    if (d.meta === 'struct') {
      noteUse(d, d.base);
      d.members.forEach((m) => !m.type.builtin && noteUse(d, m.type.name));
    } else if (d.meta === 'union') {
      noteUse(d, d.base);
      d.branches.forEach((b) => noteUse(d, b.type));
    } else if (d.meta === 'alternate') {
      d.branches.forEach((b) => !b.type.builtin && noteUse(d, b.type.name));
    } else if (d.meta === 'command') {
      noteUse(d, d.argType);
      if (d.returns && !d.returns.builtin) noteUse(d, d.returns.name);
    } else if (d.meta === 'event') {
      noteUse(d, d.dataType);
    }
  }

  const docFeatureText = (def: Definition, name: string) => def.doc?.features.find((f) => f.name === name)?.text ?? '';

  const memberModel = (owner: Definition, typeName: string, m: Member): MemberModel => {
    const features = m.features.map((f) => featureModel(f, docFeatureText(owner, f.name)));
    const p = presence(m.if);
    const notes = presenceNotes(p);
    let deprecated = false;
    for (const f of features) {
      const inMember = f.presence.releases.filter((r) => p.releases.includes(r));
      if (f.name === 'deprecated' && inMember.length) {
        deprecated = true;
        const text = describeReleaseSet(inMember, p.releases);
        notes.push(text ? `deprecated ${rangePhrase(text)}` : 'deprecated');
      }
    }
    for (const o of opts.typeOverrides ?? []) {
      if (o.key !== `${typeName}.${m.name}`) continue;
      const text = describeReleaseSet(o.releases, releases);
      notes.push(`type ${o.type}${text ? ` ${rangePhrase(text)}` : ''}`);
    }
    return { name: m.name, type: typeLink(schema, m.type), optional: m.optional, description: m.doc, features, deprecated, presence: p, notes };
  };

  const implicitMembers = (def: Definition, typeName: string | undefined): MemberModel[] => {
    const t = typeName ? lookup(schema, typeName) : undefined;
    if (t?.meta !== 'struct' || t.implicitOwner !== def.name) return [];
    return t.members.map((m) => memberModel(def, t.name, m));
  };

  const argList = (members: MemberModel[]) => members.map((m) => `${m.name}${m.optional ? '?' : ''}: ${m.type.text}`).join(', ');

  const definitions: DefinitionModel[] = [];
  for (const def of schema.definitions) {
    if (def.implicitOwner) continue;
    const doc = def.doc;
    const sectionText = (tag: DocSectionTag) => doc?.sections.find((s) => s.tag === tag)?.text ?? null;
    const model: DefinitionModel = {
      name: def.name,
      kind: def.meta,
      anchor: def.name.replace(/[^A-Za-z0-9_-]/g, '-'),
      file: def.pos.file,
      line: def.pos.line,
      summary: doc?.summary ?? '',
      body: doc?.body ?? '',
      since: sectionText('Since'),
      signature: '',
      presence: presence(def.if),
      members: [],
      base: null,
      discriminator: null,
      branches: [],
      values: [],
      data: null,
      returns: null,
      sections: (doc?.sections ?? []).filter((s: DocSection) => s.tag !== 'Since' && s.tag !== 'Returns').map((s) => ({ tag: s.tag, text: s.text })),
      features: [],
      usedBy: usedBy.get(def.name) ?? [],
      flags: [],
    };
    const featureNames = new Set<string>();
    const collectFeatures = (fs: Feature[]) => {
      for (const f of fs) {
        if (featureNames.has(f.name)) continue;
        featureNames.add(f.name);
        model.features.push(featureModel(f, docFeatureText(def, f.name)));
      }
    };
    collectFeatures(def.features);

    switch (def.meta) {
      case 'enum':
        model.values = def.values.map((v) => {
          const p = presence(v.if);
          return { name: v.name, description: v.doc, presence: p, notes: presenceNotes(p) };
        });
        def.values.forEach((v) => collectFeatures(v.features));
        model.signature = `enum ${def.name}`;
        break;
      case 'struct':
        model.members = def.members.map((m) => memberModel(def, def.name, m));
        def.members.forEach((m) => collectFeatures(m.features));
        model.base = def.base ? namedLink(schema, def.base) : null;
        model.signature = `struct ${def.name}${def.base ? `: ${def.base}` : ''}`;
        break;
      case 'union': {
        const base = lookup(schema, def.base);
        if (base?.meta === 'struct' && base.implicitOwner === def.name) {
          model.members = implicitMembers(def, def.base);
          base.members.forEach((m) => collectFeatures(m.features));
        } else {
          model.base = namedLink(schema, def.base);
        }
        model.discriminator = def.discriminator;
        model.branches = def.branches.map((b) => ({ name: b.name, type: namedLink(schema, b.type), presence: presence(b.if) }));
        model.signature = `union ${def.name} (discriminator ${def.discriminator})`;
        break;
      }
      case 'alternate':
        model.branches = def.branches.map((b) => ({ name: b.name, type: typeLink(schema, b.type), presence: presence(b.if) }));
        model.signature = `alternate ${def.name}`;
        break;
      case 'command': {
        model.members = implicitMembers(def, def.argType);
        const argDef = def.argType ? lookup(schema, def.argType) : undefined;
        if (argDef && !argDef.implicitOwner) model.data = namedLink(schema, argDef.name);
        if (argDef?.meta === 'struct' && argDef.implicitOwner === def.name) argDef.members.forEach((m) => collectFeatures(m.features));
        if (def.returns) model.returns = { type: typeLink(schema, def.returns), description: sectionText('Returns') ?? '' };
        const args = model.data ? model.data.text : argList(model.members);
        model.signature = `${def.name}(${args})${def.returns ? ` -> ${typeLink(schema, def.returns).text}` : ''}`;
        if (def.boxed) model.flags.push('boxed');
        if (def.allowOob) model.flags.push('allow-oob');
        if (def.allowPreconfig) model.flags.push('allow-preconfig');
        if (def.coroutine) model.flags.push('coroutine');
        break;
      }
      case 'event': {
        model.members = implicitMembers(def, def.dataType);
        const dataDef = def.dataType ? lookup(schema, def.dataType) : undefined;
        if (dataDef && !dataDef.implicitOwner) model.data = namedLink(schema, dataDef.name);
        model.signature = `${def.name}(${model.data ? model.data.text : argList(model.members)})`;
        if (def.boxed) model.flags.push('boxed');
        break;
      }
    }
    definitions.push(model);
  }

  const sections = schema.freeDocs.map((fd) => ({ text: [fd.doc.summary, fd.doc.body].filter((t) => t).join('\n\n'), before: fd.before }));
  return { definitions, sections };
}

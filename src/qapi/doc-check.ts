// Pass 4: doc blocks against the definitions they document (the checks of
// QAPIDoc in QEMU's scripts/qapi/parser.py and the doc part of expr.py):
// a block is required when pragma 'doc-required' says so, names the
// definition after it, describes every member, value, branch and feature
// and nothing else, has 'Since:', and keeps 'Returns:' and 'Errors:' to
// commands. Member texts are copied to the IR's members and values.

import type { Definition, Doc, Feature, FreeDoc, Member, SourcePos } from './ir.ts';
import type { CheckContext } from './context.ts';
import type { CheckedExpr } from './expr.ts';
import { META_KEYS } from './expr.ts';
import { entryOf, type ParsedExpr, type PEntry } from './parse-tree.ts';

/** Something a doc block describes with '@name:'. */
interface Describable {
  name: string;
  pos: SourcePos;
  setDoc(text: string): void;
}

export function checkDocs(ctx: CheckContext, exprs: readonly CheckedExpr[], byName: ReadonlyMap<string, Definition>): void {
  for (const e of exprs) {
    if (e.doc === null && !e.docBroken && ctx.pragmas.docRequired) ctx.report(e.def.pos, `'${e.def.name}' has no documentation block`);
  }
  for (const { def, doc } of exprs) {
    if (!doc || byName.get(def.name) !== def) continue; // a definition that was not defined has nothing to document
    def.doc = doc;
    if (doc.symbol !== def.name) {
      ctx.report(doc.pos, `this documentation block is for '${doc.symbol}', but the definition after it is '${def.name}'`);
      continue;
    }
    checkDoc(ctx, def, doc, byName);
  }
}

/** The implicit struct a definition owns (inline base, arguments or data), if any. */
function implicitTypeOf(def: Definition, byName: ReadonlyMap<string, Definition>): Member[] {
  const name = def.meta === 'union' ? def.base : def.meta === 'command' ? def.argType : def.meta === 'event' ? def.dataType : undefined;
  const t = name ? byName.get(name) : undefined;
  return t?.meta === 'struct' && t.implicitOwner === def.name ? t.members : [];
}

/** What the definition's block describes: named data types describe themselves. */
function describables(def: Definition, byName: ReadonlyMap<string, Definition>): Describable[] {
  const fromMembers = (members: Member[]): Describable[] => members.map((m) => ({ name: m.name, pos: m.pos, setDoc: (t) => (m.doc = t) }));
  switch (def.meta) {
    case 'enum':
      return def.values.map((v) => ({ name: v.name, pos: v.pos, setDoc: (t) => (v.doc = t) }));
    case 'struct':
      return fromMembers(def.members);
    case 'alternate':
      return def.branches.map((b) => ({ name: b.name, pos: b.pos, setDoc: () => undefined }));
    case 'union':
    case 'command':
    case 'event':
      return fromMembers(implicitTypeOf(def, byName));
  }
}

/** Features of the definition, its values and its (own or implicit) members, each name once. */
function featuresToDocument(def: Definition, byName: ReadonlyMap<string, Definition>): Feature[] {
  const out: Feature[] = [...def.features];
  const add = (fs: Feature[]) => {
    for (const f of fs) if (!out.some((o) => o.name === f.name)) out.push(f);
  };
  if (def.meta === 'enum') def.values.forEach((v) => add(v.features));
  if (def.meta === 'struct') def.members.forEach((m) => add(m.features));
  implicitTypeOf(def, byName).forEach((m) => add(m.features));
  return out;
}

function checkDoc(ctx: CheckContext, def: Definition, doc: Doc, byName: ReadonlyMap<string, Definition>): void {
  const kind = def.meta === 'enum' ? 'value' : def.meta === 'alternate' ? 'branch' : def.meta === 'command' ? 'argument' : 'member';
  const items = describables(def, byName);
  for (const m of items) {
    const item = doc.members.find((d) => d.name === m.name);
    if (item) m.setDoc(item.text);
    else ctx.report(m.pos, `${kind} '${m.name}' of '${def.name}' is not documented`);
  }
  for (const item of doc.members) {
    if (!items.some((m) => m.name === item.name)) ctx.report(item.pos, `'@${item.name}' is documented, but '${def.name}' has no ${kind} of that name`);
  }
  const features = featuresToDocument(def, byName);
  for (const f of features) {
    if (!doc.features.some((d) => d.name === f.name)) ctx.report(f.pos, `feature '${f.name}' of '${def.name}' is not documented under 'Features:'`);
  }
  for (const item of doc.features) {
    if (!features.some((f) => f.name === item.name)) ctx.report(item.pos, `'@${item.name}' is documented under 'Features:', but '${def.name}' has no such feature`);
  }
  if (!doc.sections.some((s) => s.tag === 'Since')) ctx.report(doc.pos, `documentation of '${def.name}' has no 'Since:' section`);
  for (const s of doc.sections) {
    if (s.tag === 'Returns' && !(def.meta === 'command' && def.returns)) {
      ctx.report(s.pos, `'Returns:' belongs to commands that return a value, and '${def.name}' is not one`);
    }
    if (s.tag === 'Errors' && def.meta !== 'command') ctx.report(s.pos, `'Errors:' belongs to commands, and '${def.name}' is a ${def.meta}`);
  }
}

/** Free-form blocks with the name of the definition written after each, if any. */
export function placeFreeDocs(freeDocs: readonly { doc: Doc; nextExpr: number }[], exprs: readonly ParsedExpr[]): FreeDoc[] {
  return freeDocs.map((fd) => {
    const next = exprs[fd.nextExpr];
    const nextName = next ? META_KEYS.map((k) => entryOf(next.expr, k)).find((e): e is PEntry => e !== undefined) : undefined;
    return { doc: fd.doc, before: nextName && nextName.value.kind === 'string' ? nextName.value.value : null };
  });
}

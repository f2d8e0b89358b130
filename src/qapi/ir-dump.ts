// A visitor that writes the checked IR as plain text, one line per thing,
// in the manner of QEMU's tests/qapi-schema/test-qapi.py: each file as a
// module with its definitions (implicit ones included) in source order,
// their members, branches, 'if' conditions, features and flags; then every
// doc block in source order. Deterministic, for golden .out files.

import type { Definition, Doc, Feature, IfCond, Pragmas, Schema, StructDef, TypeRef } from './ir.ts';

const INDENT = '    ';

export function dumpSchema(schema: Schema): string {
  const out: string[] = [];
  dumpPragmas(out, schema.pragmas);
  for (const file of schema.files) {
    out.push(`module ${file}`);
    for (const def of schema.definitions) if (def.pos.file === file) dumpDefinition(out, def);
  }
  for (const { doc, before } of docsInSourceOrder(schema)) dumpDoc(out, doc, before);
  return `${out.join('\n')}\n`;
}

function dumpPragmas(out: string[], p: Pragmas): void {
  if (p.docRequired) out.push('pragma doc-required');
  const lists: [string, string[]][] = [
    ['command-name-exceptions', p.commandNameExceptions],
    ['command-returns-exceptions', p.commandReturnsExceptions],
    ['member-name-exceptions', p.memberNameExceptions],
  ];
  for (const [name, list] of lists) if (list.length) out.push(`pragma ${name} ${list.join(' ')}`);
}

function typeName(ref: TypeRef | string | undefined): string {
  if (ref === undefined) return 'None';
  if (typeof ref === 'string') return ref;
  return ref.array ? `[${ref.name}]` : ref.name;
}

const flag = (b: boolean) => (b ? 'true' : 'false');

function dumpDefinition(out: string[], def: Definition): void {
  switch (def.meta) {
    case 'enum':
      out.push(`enum ${def.name}`);
      if (def.prefix !== undefined) out.push(`${INDENT}prefix ${def.prefix}`);
      for (const v of def.values) {
        out.push(`${INDENT}member ${v.name}`);
        dumpIf(out, v.if, 2);
        dumpFeatures(out, v.features, 2);
      }
      break;
    case 'struct':
      out.push(`object ${def.name}`);
      if (def.base) out.push(`${INDENT}base ${def.base}`);
      dumpMembers(out, def);
      break;
    case 'union':
      out.push(`object ${def.name}`);
      out.push(`${INDENT}base ${def.base}`);
      out.push(`${INDENT}tag ${def.discriminator}: ${def.discriminatorEnum}`);
      for (const b of def.branches) {
        out.push(`${INDENT}case ${b.name}: ${b.type}`);
        dumpIf(out, b.if, 2);
      }
      break;
    case 'alternate':
      out.push(`alternate ${def.name}`);
      for (const b of def.branches) {
        out.push(`${INDENT}case ${b.name}: ${typeName(b.type)}`);
        dumpIf(out, b.if, 2);
      }
      break;
    case 'command':
      out.push(`command ${def.name} ${typeName(def.argType)} -> ${typeName(def.returns)}`);
      out.push(
        `${INDENT}gen=${flag(def.gen)} success_response=${flag(def.successResponse)} boxed=${flag(def.boxed)} ` +
          `oob=${flag(def.allowOob)} preconfig=${flag(def.allowPreconfig)} coroutine=${flag(def.coroutine)}`,
      );
      break;
    case 'event':
      out.push(`event ${def.name} ${typeName(def.dataType)}`);
      out.push(`${INDENT}boxed=${flag(def.boxed)}`);
      break;
  }
  dumpIf(out, def.if, 1);
  dumpFeatures(out, def.features, 1);
}

function dumpMembers(out: string[], def: StructDef): void {
  for (const m of def.members) {
    out.push(`${INDENT}member ${m.name}: ${typeName(m.type)} optional=${flag(m.optional)}`);
    dumpIf(out, m.if, 2);
    dumpFeatures(out, m.features, 2);
  }
}

function dumpIf(out: string[], cond: IfCond | undefined, depth: number): void {
  if (cond) out.push(`${INDENT.repeat(depth)}if ${cond.op === 'name' ? cond.name : condText(cond)}`);
}

/** A condition as the schema writes it. */
function condText(cond: IfCond): string {
  switch (cond.op) {
    case 'name':
      return `'${cond.name}'`;
    case 'not':
      return `{'not': ${condText(cond.arg)}}`;
    case 'all':
    case 'any':
      return `{'${cond.op}': [${cond.args.map(condText).join(', ')}]}`;
  }
}

function dumpFeatures(out: string[], features: Feature[], depth: number): void {
  for (const f of features) {
    out.push(`${INDENT.repeat(depth)}feature ${f.name}`);
    dumpIf(out, f.if, depth + 1);
  }
}

/** Definition blocks and free-form blocks together, by file (in reading order) and line. */
function docsInSourceOrder(schema: Schema): { doc: Doc; before: string | null | undefined }[] {
  const docs: { doc: Doc; before: string | null | undefined }[] = [];
  for (const def of schema.definitions) if (def.doc && !def.implicitOwner) docs.push({ doc: def.doc, before: undefined });
  for (const fd of schema.freeDocs) docs.push({ doc: fd.doc, before: fd.before });
  const fileIndex = (d: Doc) => schema.files.indexOf(d.pos.file);
  return docs.sort((a, b) => fileIndex(a.doc) - fileIndex(b.doc) || a.doc.pos.line - b.doc.pos.line);
}

function dumpDoc(out: string[], doc: Doc, before: string | null | undefined): void {
  if (doc.symbol !== null) out.push(`doc symbol=${doc.symbol}`);
  else out.push(before ? `doc freeform before=${before}` : 'doc freeform');
  out.push(`${INDENT}summary=`, ...textLines(doc.summary));
  if (doc.body) out.push(`${INDENT}body=`, ...textLines(doc.body));
  for (const m of doc.members) out.push(`${INDENT}arg=${m.name}`, ...textLines(m.text));
  for (const f of doc.features) out.push(`${INDENT}feature=${f.name}`, ...textLines(f.text));
  for (const s of doc.sections) out.push(`${INDENT}section=${s.tag}`, ...textLines(s.text));
}

/** Doc text as it stands; an empty text shows as no lines. */
function textLines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

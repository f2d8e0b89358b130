// Naming rules (the name checks of QEMU's scripts/qapi/expr.py, made
// stricter where QEMU leaves a TODO): types are CamelCase and do not end in
// 'List'; events are UPPER_CASE; commands, members, enum values, branches and
// features are lower case with '-' between words; 'q_' is reserved for
// implicit types, 'u' and 'has-'/'has_' for generated C.

import type { SourcePos } from './ir.ts';
import type { CheckContext } from './context.ts';

/** Names: optional downstream prefix __RFQDN_, optional x-, then a letter and [A-Za-z0-9_-]. */
const VALID_NAME = /^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$/i;

export type DefinitionMeta = 'enum' | 'struct' | 'union' | 'alternate' | 'command' | 'event';

/** C identifier QEMU would derive from a name; used to find clashes such as 'a-b' vs 'a_b'. */
export function cName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Checks the common syntax; returns the name's stem (without prefixes), or null when reported. */
function checkNameSyntax(ctx: CheckContext, name: string, pos: SourcePos, what: string): string | null {
  const m = VALID_NAME.exec(name);
  if (!m || cName(name).startsWith('q_')) {
    ctx.report(pos, `${what} '${name}' is not a valid name (letters, digits, '-' and '_', starting with a letter; 'q_' is reserved)`);
    return null;
  }
  return m[3]!;
}

function checkTypeName(ctx: CheckContext, name: string, pos: SourcePos, meta: string): void {
  const stem = checkNameSyntax(ctx, name, pos, `${meta} name`);
  if (stem === null) return;
  if (!/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(stem)) {
    ctx.report(pos, `${meta} name '${name}' must be CamelCase`);
  } else if (name.endsWith('List')) {
    ctx.report(pos, `${meta} name '${name}' ends in 'List', which is kept for array types`);
  }
}

/**
 * Lower case with '-' between words; `permitUpperAndUnderscore` for types
 * listed in pragma 'member-name-exceptions', `hint` says how to get there.
 */
export function checkLowerName(ctx: CheckContext, name: string, pos: SourcePos, what: string, permitUpperAndUnderscore = false, hint = ''): void {
  let checked = name;
  if (what.startsWith('enum value') && /^[0-9]/.test(checked)) checked = `d${checked}`; // values may start with a digit
  const stem = checkNameSyntax(ctx, checked, pos, what);
  if (stem === null) return;
  if (!permitUpperAndUnderscore && /[A-Z_]/.test(stem)) {
    ctx.report(pos, `${what} '${name}' must be lower case with '-' between words${hint}`);
  }
}

/** A member (or argument) of `owner`. */
export function checkMemberName(ctx: CheckContext, name: string, pos: SourcePos, owner: string): void {
  checkLowerName(ctx, name, pos, 'member name', ctx.pragmas.memberNameExceptions.includes(owner), ` (or list '${owner}' in pragma 'member-name-exceptions')`);
  const c = cName(name);
  if (c === 'u' || c.startsWith('has_')) ctx.report(pos, `member name '${name}' is reserved ('u' and names starting with 'has-' or 'has_')`);
}

/** A value of enum `owner`; values may start with a digit. */
export function checkEnumValueName(ctx: CheckContext, name: string, pos: SourcePos, owner: string): void {
  checkLowerName(ctx, name, pos, 'enum value', ctx.pragmas.memberNameExceptions.includes(owner), ` (or list '${owner}' in pragma 'member-name-exceptions')`);
}

/** The name a definition expression gives itself. */
export function checkDefinitionName(ctx: CheckContext, meta: DefinitionMeta, name: string, pos: SourcePos): void {
  if (meta === 'event') {
    const stem = checkNameSyntax(ctx, name, pos, 'event name');
    if (stem !== null && /[a-z-]/.test(stem)) ctx.report(pos, `event name '${name}' must be upper case with '_' between words`);
  } else if (meta === 'command') {
    const stem = checkNameSyntax(ctx, name, pos, 'command name');
    if (stem === null) return;
    if (/[A-Z]/.test(stem)) ctx.report(pos, `command name '${name}' must be lower case`);
    else if (stem.includes('_') && !ctx.pragmas.commandNameExceptions.includes(name)) {
      ctx.report(pos, `command name '${name}' uses '_'; write '-' or list it in pragma 'command-name-exceptions'`);
    }
  } else {
    checkTypeName(ctx, name, pos, meta);
  }
}

/**
 * The editor's text as strict JSON with every value's place, so that a
 * scenario issue's path ("steps[3].connect.type") can be marked where it
 * is. Parsing is jsonc-parser's (Microsoft's, the parser behind VS Code's
 * and Monaco's JSON support) with comments and trailing commas refused;
 * this module only words its first error in plain sentences and finds a
 * path in its tree. Loaded with the editor, never with the page.
 */
import { findNodeAtLocation, getLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export interface Span {
  /** Start of the member's key (or of the value, for array items and the root). */
  offset: number;
  length: number;
}

export type Located = { ok: true; value: unknown; tree: Node } | { ok: false; offset: number; message: string };

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

function found(text: string, at: number): string {
  return at >= text.length ? 'the end of the text' : JSON.stringify(text[at]);
}

/** The previous character that is not white space. */
function before(text: string, at: number): string {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i >= 0 ? text[i]! : '';
}

/** One ParseError of jsonc-parser in words. */
export function errorMessage(text: string, e: ParseError): string {
  const at = e.offset;
  const what = found(text, at);
  const inArray = () => typeof getLocation(text, at).path.at(-1) === 'number';
  switch (printParseErrorCode(e.error)) {
    case 'PropertyNameExpected':
      if (text[at] === '}' && before(text, at) === ',') return 'A comma before "}" is not allowed in JSON.';
      return `Expected a member name in double quotes, found ${what}.`;
    case 'ValueExpected':
      if (text[at] === ']' && before(text, at) === ',') return 'A comma before "]" is not allowed in JSON.';
      if (at >= text.length) return 'The text ends where a value should be.';
      return `Expected a value (object, array, string, number, true, false or null), found ${what}.`;
    case 'ColonExpected':
      return `Expected ":" after the member name, found ${what}.`;
    case 'CommaExpected':
    case 'CloseBraceExpected':
    case 'CloseBracketExpected':
      return inArray() ? `Expected "," or "]" after an item, found ${what}.` : `Expected "," or "}" after a member, found ${what}.`;
    case 'EndOfFileExpected':
      return `Unexpected ${what} after the end of the JSON value.`;
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'Comments are not allowed in JSON.';
    case 'UnexpectedEndOfString':
      return 'This string is never closed (a " is missing).';
    case 'InvalidCharacter':
      return 'A string cannot contain a raw line break or control character; write \\n or \\u escapes.';
    case 'InvalidUnicode':
    case 'InvalidEscapeCharacter':
      return 'Unknown escape in a string.';
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return 'This number is not written the way JSON writes numbers.';
    default:
      return `Unexpected ${what}.`;
  }
}

export function parseLocated(text: string): Located {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, STRICT);
  const first = errors.sort((a, b) => a.offset - b.offset)[0];
  if (first || !tree) {
    return first ? { ok: false, offset: first.offset, message: errorMessage(text, first) } : { ok: false, offset: 0, message: 'The text ends where a value should be.' };
  }
  // The value as JSON.parse reads it: the reference for what is JSON, in case the two ever disagree.
  try {
    return { ok: true, value: JSON.parse(text) as unknown, tree };
  } catch (e) {
    return { ok: false, offset: 0, message: (e as Error).message };
  }
}

/** "steps[3].connect.type" or 'netdevs[0]["odd key"]' (formatPath's form) as path segments. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_][\w-]*)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < path.length && (m = re.exec(path))) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else out.push(m[3]!);
  }
  return out;
}

/** Where a path is in the text: the member (key and value) or item, or its nearest enclosing value that exists. */
export function locate(tree: Node, path: string): Span {
  const segs = pathSegments(path);
  for (let n = segs.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, segs.slice(0, n));
    if (!node) continue;
    const at = node.parent?.type === 'property' ? node.parent : node;
    return { offset: at.offset, length: at.length };
  }
  return { offset: 0, length: 1 };
}

/**
 * A very small element tree. Views are pure functions that return one; the
 * build renders it with an Astro component (which escapes) and the browser
 * turns it into DOM with createElement, setAttribute and text nodes. No
 * string ever becomes markup, so text from a scenario, a link or a QMP
 * reply is always just text.
 */

export interface VNode {
  tag: string;
  attrs: Record<string, string>;
  children: (VNode | string)[];
}

export type Attr = string | number | boolean | null | undefined;
export type Child = VNode | string | number | null | undefined | false | Child[];

function flatten(children: Child[], out: (VNode | string)[]): (VNode | string)[] {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) flatten(c, out);
    else if (typeof c === 'number') out.push(String(c));
    else if (typeof c === 'string') {
      if (c !== '') out.push(c);
    } else out.push(c);
  }
  return out;
}

/** An element; `true` attributes are written empty, false/null/undefined ones left out. */
export function h(tag: string, attrs: Record<string, Attr> | null = null, ...children: Child[]): VNode {
  const a: Record<string, string> = {};
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      a[k] = v === true ? '' : String(v);
    }
  }
  return { tag, attrs: a, children: flatten(children, []) };
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Builds DOM for a tree; SVG elements get the SVG namespace. */
export function toDom(node: VNode | string, doc: Document, inSvg = false): Node {
  if (typeof node === 'string') return doc.createTextNode(node);
  const svg = inSvg || node.tag === 'svg';
  const el = svg ? doc.createElementNS(SVG_NS, node.tag) : doc.createElement(node.tag);
  for (const [k, v] of Object.entries(node.attrs)) el.setAttribute(k, v);
  for (const c of node.children) el.appendChild(toDom(c, doc, svg && node.tag !== 'foreignObject'));
  return el;
}

/** Replaces an element's children with a rendered tree (or several). */
export function renderInto(target: Element, nodes: VNode | string | (VNode | string)[]): void {
  const doc = target.ownerDocument;
  const frag = doc.createDocumentFragment();
  for (const n of Array.isArray(nodes) ? nodes : [nodes]) frag.appendChild(toDom(n, doc, target.namespaceURI === SVG_NS));
  target.replaceChildren(frag);
}

/** Visually hidden text for screen readers (the class is defined in the simulator's CSS). */
export const srOnly = (text: string): VNode => h('span', { class: 'nsl-sr' }, text);

/**
 * The Content-Security-Policy of the built site (src/integrations/csp.ts,
 * through Astro's security.csp): every page carries one in its head;
 * scripts are limited to the site's files and hashed inline code,
 * with no 'unsafe-inline' and no 'unsafe-eval'; every inline script of every
 * page is one the policy lists by hash, and no page has an inline event
 * handler (which the policy would block).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { htmlPages } from '../../scripts/site-size.ts';
import { CSP_DIRECTIVES, inlineScripts } from '../../src/integrations/csp.ts';
import { DIST, ensureSiteBuilt } from '../support/site.ts';
import { decodeEntities } from './html.ts';

let pages: { path: string; html: string }[];

beforeAll(async () => {
  await ensureSiteBuilt();
  pages = htmlPages(DIST).map((path) => ({ path, html: readFileSync(join(DIST, path.endsWith('/') ? `${path}index.html` : path), 'utf8') }));
}, 600_000);

/** The policy of a page's meta tag, as directive name -> sources. */
function policyOf(html: string): { policy: Map<string, string[]>; at: number; count: number } {
  const metas = [...html.matchAll(/<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"\s*\/?>/gi)];
  const policy = new Map<string, string[]>();
  for (const part of decodeEntities(metas[0]?.[1] ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy.set(name, sources);
  }
  return { policy, at: metas[0]?.index ?? -1, count: metas.length };
}

const sha256 = (code: string) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`;

describe('the Content-Security-Policy', () => {
  it('is on every page, once, in the head, with no unsafe-inline or unsafe-eval for scripts', () => {
    expect(pages.length).toBeGreaterThan(90);
    expect(pages.map((p) => p.path)).toContain('/embed/');
    for (const { path, html } of pages) {
      const { policy, at, count } = policyOf(html);
      expect(count, path).toBe(1);
      expect(at, path).toBeLessThan(html.indexOf('</head>'));
      const scripts = policy.get('script-src') ?? [];
      // A meta policy governs what follows it. Before it Astro's head has only
      // Starlight's inline theme script, which the policy lists anyway: nothing
      // before it loads code from anywhere.
      for (const m of html.slice(0, at).matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
        expect(m[1], `${path}: a script before the policy loads nothing`).not.toMatch(/\bsrc=/);
        expect(scripts, `${path}: a script before the policy`).toContain(sha256(m[2]!));
      }
      expect(scripts, path).toContain("'self'");
      expect(scripts, path).toContain("'wasm-unsafe-eval'");
      expect(scripts.filter((s) => /^'unsafe-(inline|eval|hashes)'$|^\*$|^https?:|^data:|^blob:/.test(s)), path).toEqual([]);
      for (const d of CSP_DIRECTIVES) {
        const [name, ...sources] = d.split(' ');
        expect(policy.get(name!), `${path}: ${name}`).toEqual(sources);
      }
    }
  });

  it('lists every inline script of every page by its hash, and no page has an inline event handler', () => {
    let checked = 0;
    for (const { path, html } of pages) {
      const scripts = new Set(policyOf(html).policy.get('script-src'));
      for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
        const attrs = m[1]!;
        if (/\bsrc=/.test(attrs)) continue;
        const type = /\btype="([^"]*)"/.exec(attrs)?.[1];
        if (type !== undefined && !/^(module|text\/javascript|application\/javascript)$/i.test(type)) continue;
        expect(scripts.has(sha256(m[2]!)), `${path}: inline script ${m[2]!.trim().slice(0, 60)}…`).toBe(true);
        checked++;
      }
      const handlers = [...html.replace(/<script\b[\s\S]*?<\/script>/g, '').matchAll(/<[a-z][^>]*\s(on[a-z]+)=/gi)].map((m) => m[1]);
      expect(handlers, path).toEqual([]);
    }
    expect(checked).toBeGreaterThan(pages.length);
  });

  it('finds the inline scripts of Astro components as the build writes them', () => {
    const src = '<script is:inline>\n  a();\n</script><script is:inline type="application/json" set:html={x} /><script>b()</script>';
    expect(inlineScripts(src)).toEqual(['\n  a();\n']);
  });
});

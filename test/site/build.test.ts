/**
 * The docs site, built twice (at the root and under /sub/) from this
 * checkout: every schema definition has its page, no internal link or
 * anchor is broken, every engine transcript and generated table on a page
 * equals what the engine prints now, the Verified pages tell the truth
 * about each recording, the JS budget holds in Chromium (idle-time fetches
 * included), and the search loads Pagefind only when opened, with a button
 * whose accessible name matches its text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../src/qapi/index.ts';
import { RELEASE_NAMES } from '../../src/core/releases.ts';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario, type Scenario } from '../../src/core/scenario/schema.ts';
import { runScenario } from '../../src/core/scenario/session.ts';
import type { TranscriptEntry } from '../../src/core/qmp/types.ts';
import { parseTranscript, toLine } from '../../src/core/transcript/format.ts';
import { canonicalLines, normaliseTranscript } from '../../src/core/transcript/normalise.ts';
import { INFO_STATES } from '../../src/components/data/info-states.ts';
import { OPTION_CASES } from '../../src/components/data/option-replies.ts';
import { BUDGET_BYTES, htmlPages, measureSite } from '../../scripts/site-size.ts';
import { isPagefind, isSearchUi } from '../../scripts/sim-size.ts';
import { recordScripts } from '../../scripts/page-js.ts';
import { conformanceCases } from '../support/conformance.ts';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildSite, removeSite, ROOT, serveSite, type BuiltSite } from './built-site.ts';

/** Debian's Chromium (.ci/run installs it); playwright's own download does not work here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
import { decodeEntities, ids, innerHtml, tags } from './html.ts';

let root: BuiltSite;
let sub: BuiltSite;

beforeAll(() => {
  root = buildSite('/');
  sub = buildSite('/sub/');
}, 240_000);

afterAll(() => {
  removeSite(root);
  removeSite(sub);
});

const read = (site: BuiltSite, page: string) =>
  readFileSync(page.endsWith('/') ? join(site.dir, page, 'index.html') : join(site.dir, page), 'utf8');

// ---- the engine, run here independently of the site's own modules --------------------------------

function runEngine(scenario: unknown, release: string): readonly TranscriptEntry[] {
  const checked = checkScenario(scenario);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return runScenario(checked.scenario, { checker: schemaChecker, release }).engine.transcript;
}

/** How a transcript line reads on the site: QMP's `->` / `<-` notation, or the exit object. */
const shown = (e: TranscriptEntry) =>
  'exit' in e ? JSON.stringify({ exit: e.exit, stderr: e.stderr }) : `${e.dir} ${JSON.stringify(e.msg)}`;

// ---- every definition has a page ------------------------------------------------------------------

describe('the reference', () => {
  const schema = (() => {
    const r = loadSchema('schema.json', (f) => readFileSync(join(ROOT, 'content/qapi', f), 'utf8'));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.schema;
  })();
  const named = schema.definitions.filter((d) => !d.implicitOwner);
  const folder = (meta: string) => (meta === 'event' ? 'events' : meta === 'command' ? 'commands' : 'types');

  it('has a page for every event, command and type of the schema, titled with its name', () => {
    expect(named.filter((d) => d.meta === 'event').length).toBeGreaterThanOrEqual(2);
    expect(named.filter((d) => d.meta === 'command').length).toBeGreaterThanOrEqual(4);
    for (const d of named) {
      const html = read(root, `/reference/${folder(d.meta)}/${d.name}/`);
      const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
      // Tags dropped: a long name may carry <wbr> after its underscores.
      expect(decodeEntities((h1?.[1] ?? '').replace(/<[^>]*>/g, '')).trim(), d.name).toBe(d.name);
    }
  });

  it('lists every definition in the sidebar and on the overview', () => {
    const overview = read(root, '/reference/');
    const guide = read(root, '/guides/events/');
    for (const d of named) {
      const href = `/reference/${folder(d.meta)}/${d.name}/`;
      expect(overview, d.name).toContain(`href="${href}"`);
      expect(guide, `the sidebar links ${d.name}`).toContain(`href="${href}"`);
    }
  });

  it('shows the per-release notes of NetdevStreamOptions.reconnect', () => {
    const html = decodeEntities(read(root, '/reference/types/NetdevStreamOptions/').replace(/<[^>]*>/g, ' '));
    for (const note of ['present in 8.0 to 10.1', 'removed in 10.2', 'deprecated from 9.2', 'type uint32 in 8.0 to 9.1']) {
      expect(html).toContain(note);
    }
    expect(html).toMatch(/reconnect-ms[\s\S]*present from 9\.2/);
  });

  it('shows examples of NETDEV_STREAM_CONNECTED on the oldest and newest recorded releases, with the event in them', () => {
    const figures = exampleFigures(read(root, '/reference/events/NETDEV_STREAM_CONNECTED/'));
    expect(figures.map((f) => f.release)).toEqual(expect.arrayContaining(['7.2', '11.1']));
    for (const f of figures) expect(f.lines.some((l) => l.includes('"event":"NETDEV_STREAM_CONNECTED"'))).toBe(true);
  });

  it('gives every event and command page at least one example, and no type page', () => {
    for (const d of named) {
      const n = exampleFigures(read(root, `/reference/${folder(d.meta)}/${d.name}/`)).length;
      if (d.meta === 'event' || d.meta === 'command') expect(n, d.name).toBeGreaterThan(0);
      else expect(n, d.name).toBe(0);
    }
  });
});

// ---- transcripts on pages equal the engine's ---------------------------------------------------------

interface Figure {
  page: string;
  file: string;
  release: string;
  lines: string[];
  indexes: number[];
  stderr: string[] | null;
}

function exampleFigures(html: string, page = ''): Figure[] {
  const out: Figure[] = [];
  for (const t of tags(html)) {
    const file = t.attrs.get('data-example-scenario');
    if (t.name !== 'figure' || file === undefined) continue;
    const inner = innerHtml(html, t.end, 'figure');
    const lines: string[] = [];
    const indexes: number[] = [];
    for (const m of inner.matchAll(/<span\b[^>]*\bdata-transcript-line="(\d+)"[^>]*>([^<]*)<\/span>/g)) {
      indexes.push(Number(m[1]));
      lines.push(decodeEntities(m[2]!));
    }
    const stderrLines = [...inner.matchAll(/<span\b[^>]*\bdata-stderr-line="\d+"[^>]*>([^<]*)<\/span>/g)].map((m) => decodeEntities(m[1]!));
    out.push({
      page,
      file,
      release: t.attrs.get('data-example-release') ?? '',
      lines,
      indexes,
      stderr: inner.includes('nsl-stderr') ? stderrLines : null,
    });
  }
  return out;
}

describe('transcripts on the pages', () => {
  const all = () => htmlPages(root.dir).flatMap((p) => exampleFigures(read(root, p), p));

  it('are many, on reference pages, guides and Verified pages', () => {
    const figures = all();
    expect(figures.filter((f) => f.page.startsWith('/reference/')).length).toBeGreaterThanOrEqual(10);
    expect(figures.filter((f) => f.page.startsWith('/guides/')).length).toBeGreaterThanOrEqual(15);
    expect(figures.filter((f) => f.page.startsWith('/verified/')).length).toBeGreaterThanOrEqual(70);
  });

  it('equal, line for line, what the engine prints for the named scenario and release', () => {
    const checked = new Set<string>();
    for (const f of all()) {
      const key = `${f.file}@${f.release}`;
      const scenario = JSON.parse(readFileSync(join(ROOT, f.file), 'utf8')) as Scenario;
      const expected = runEngine(scenario, f.release).map(shown);
      expect(f.indexes, `${f.page}: ${key} shows every line in order`).toEqual(expected.map((_, i) => i));
      expect(f.lines, `${f.page}: ${key}`).toEqual(expected);
      checked.add(key);
    }
    expect(checked.size).toBeGreaterThan(30);
  });

  it("show QEMU's stderr as the engine prints it where a guide shows it", () => {
    const withStderr = all().filter((f) => f.stderr !== null);
    expect(withStderr.length).toBeGreaterThan(0);
    for (const f of withStderr) {
      const checkedScenario = checkScenario(JSON.parse(readFileSync(join(ROOT, f.file), 'utf8')));
      if (!checkedScenario.ok) throw new Error(f.file);
      const session = runScenario(checkedScenario.scenario, { checker: schemaChecker, release: f.release });
      expect(f.stderr, `${f.page}: ${f.file}`).toEqual(session.engine.stderr);
    }
  });
});

// ---- generated tables -----------------------------------------------------------------------------

/** Rows of a generated table: data-* of the row, then each cell's text and data-releases. */
function tableRows(html: string, generated: string, rowAttr: string) {
  const start = html.indexOf(`data-generated="${generated}"`);
  expect(start, `table ${generated}`).toBeGreaterThan(0);
  const table = html.slice(start, html.indexOf('</table>', start));
  return [...table.matchAll(new RegExp(`<tr\\b[^>]*\\b${rowAttr}="([^"]+)"[^>]*>([\\s\\S]*?)</tr>`, 'g'))].map((m) => ({
    id: m[1]!,
    cells: [...m[2]!.matchAll(/<td\b[^>]*\bdata-releases="([^"]+)"[^>]*>([\s\S]*?)<\/td>/g)].map((c) => ({
      releases: c[1]!.split(' '),
      text: decodeEntities(c[2]!.replace(/<[^>]*>/g, '')).trim(),
    })),
  }));
}

describe('generated tables', () => {
  it('info network: every cell is what the engine prints for that situation in every release of its column', () => {
    const rows = tableRows(read(root, '/guides/info-network/'), 'info-network', 'data-state');
    expect(rows.map((r) => r.id)).toEqual(INFO_STATES.map((s) => s.id));
    for (const row of rows) {
      const state = INFO_STATES.find((s) => s.id === row.id)!;
      expect(row.cells.flatMap((c) => c.releases)).toEqual([...RELEASE_NAMES]);
      for (const cell of row.cells) {
        for (const release of cell.releases) {
          const scenario = state.scenario(release);
          if (!scenario) {
            expect(cell.text, `${row.id} on ${release}`).toBe('no reconnect in this release');
            continue;
          }
          const t = runEngine(scenario, release);
          const replies = t.filter((e) => 'msg' in e && typeof (e.msg as { return?: unknown }).return === 'string');
          const text = (replies.at(-1) as { msg: { return: string } }).msg.return;
          const info = /^n0: index=0,type=stream,(.*)$/m.exec(text.replace(/\r/g, ''))![1]!;
          expect(cell.text, `${row.id} on ${release}`).toBe(info === '' ? '(empty)' : info);
        }
      }
    }
  });

  it('reconnect options: every cell is the reply netdev_add gets in every release of its column', () => {
    const rows = tableRows(read(root, '/guides/reconnect/'), 'reconnect-options', 'data-case');
    expect(rows.map((r) => r.id)).toEqual(OPTION_CASES.map((c) => c.id));
    for (const row of rows) {
      const c = OPTION_CASES.find((x) => x.id === row.id)!;
      for (const cell of row.cells) {
        for (const release of cell.releases) {
          const t = runEngine(
            { scenario: 1, qemu: release, netdevs: [], steps: [{ qmp: { execute: 'netdev_add', arguments: { id: 'n0', type: 'stream', addr: { type: 'unix', path: '/tmp/sim/p.sock' }, ...c.args } } }] },
            release,
          );
          const reply = (t.at(-1) as { msg: { return?: unknown; error?: { desc: string } } }).msg;
          expect(cell.text, `${row.id} on ${release}`).toBe(reply.error ? reply.error.desc : `accepted: ${JSON.stringify(reply.return)}`);
        }
      }
    }
  });

  it('releases: one entry per modelled release, from the engine table', () => {
    const html = read(root, '/guides/releases/');
    for (const r of RELEASE_NAMES) expect(html).toContain(`id="release-${r.replace('.', '-')}"`);
  });
});

// ---- Verified against QEMU ------------------------------------------------------------------------

describe('the Verified pages', () => {
  const cases = conformanceCases();

  it('say for every recording whether the engine reproduces it, and say it truthfully', () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
    for (const c of cases) {
      const html = read(root, `/verified/${c.name}/`);
      const section = tags(html).find((t) => t.name === 'section' && t.attrs.get('data-verdict-release') === c.release);
      expect(section, `${c.name} on ${c.release}`).toBeDefined();
      const recorded = parseTranscript(c.transcript);
      if (!recorded.ok) throw new Error(recorded.error);
      const ours = runEngine(c.scenario, c.release);
      const a = normaliseTranscript(recorded.lines, c.scenario);
      const b = normaliseTranscript(ours.map(toLine), c.scenario);
      const checkedScenario = checkScenario(c.scenario);
      if (!checkedScenario.ok) throw new Error(c.name);
      const stderr = runScenario(checkedScenario.scenario, { checker: schemaChecker, release: c.release }).engine.stderr;
      const expectedStderr = (c.stderr ?? '').split('\n').filter((l) => l !== '');
      const truth =
        a.problems.length === 0 &&
        b.problems.length === 0 &&
        JSON.stringify(canonicalLines(a.lines)) === JSON.stringify(canonicalLines(b.lines)) &&
        JSON.stringify(stderr) === JSON.stringify(expectedStderr);
      expect(section!.attrs.get('data-reproduced'), `${c.name} on ${c.release}`).toBe(String(truth));
    }
  });

  it('name the QEMU build of each release as the recordings README does', () => {
    const html = decodeEntities(read(root, '/verified/'));
    for (const build of ['7.2.22', '10.0.13', '11.1.3', 'bookworm', 'trixie', 'sid']) expect(html).toContain(build);
    const summary = /data-verified-summary="(\d+)\/(\d+)"/.exec(html);
    expect(Number(summary?.[2])).toBe(cases.length);
  });

  it('show for each recording the QEMU build its greeting named, and how to record and contribute more', () => {
    for (const c of cases) {
      const html = decodeEntities(read(root, `/verified/${c.name}/`));
      const section = html.indexOf(`data-verdict-release="${c.release}"`);
      const build = /data-recording-build[^>]*>([^<]*)</.exec(html.slice(section))?.[1];
      const recorded = parseTranscript(c.transcript);
      if (!recorded.ok) throw new Error(recorded.error);
      const greeting = recorded.lines.find((l) => l.dir === '<-' && typeof l.msg === 'object' && l.msg !== null && 'QMP' in l.msg);
      const v = (greeting?.msg as { QMP: { version: { qemu: { major: number; minor: number; micro: number }; package: string } } } | undefined)?.QMP.version;
      if (v) expect(build, `${c.name} on ${c.release}`).toBe(`QEMU ${v.qemu.major}.${v.qemu.minor}.${v.qemu.micro} (${v.package})`);
      else expect(build, `${c.name} on ${c.release}`).toMatch(new RegExp(`^QEMU ${c.release.replace('.', '\\.')}\\.\\d+ \\(Debian `));
    }
    const index = decodeEntities(read(root, '/verified/'));
    expect(index).toContain('id="check-your-own"');
    expect(index).toContain('npx netdev-sim verify --qemu qemu-system-x86_64');
    expect(index).toContain('--save content/conformance');
    expect(index).toContain('60-server-unix-full-backlog');
  });

  it('show the recorded transcript line for line', () => {
    for (const c of cases.slice(0, 10)) {
      const html = read(root, `/verified/${c.name}/`);
      const recorded = parseTranscript(c.transcript);
      if (!recorded.ok) throw new Error(recorded.error);
      const section = html.indexOf(`data-verdict-release="${c.release}"`);
      const next = html.indexOf('data-verdict-release=', section + 1);
      const part = html.slice(section, next < 0 ? undefined : next);
      const shownLines = [...part.matchAll(/data-recorded-line="\d+"[^>]*>([^<]*)</g)].map((m) => decodeEntities(m[1]!));
      expect(shownLines).toEqual(recorded.lines.map((l) => (l.dir ? `${l.dir} ${JSON.stringify(l.msg)}` : JSON.stringify(l))));
    }
  });
});

// ---- links ------------------------------------------------------------------------------------------

/** Every internal href/src of every page that does not resolve to a file (and #id) of the build. */
function brokenLinks(site: BuiltSite): string[] {
  const pages = htmlPages(site.dir);
  const idCache = new Map<string, Set<string>>();
  const idsOf = (page: string) => {
    let s = idCache.get(page);
    if (!s) idCache.set(page, (s = ids(read(site, page))));
    return s;
  };
  const problems: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const pageUrl = new URL(`${site.base.replace(/\/$/, '')}${page}`, 'http://site.invalid');
    for (const t of tags(read(site, page))) {
      const ref = t.attrs.get('href') ?? (t.name === 'script' || t.name === 'img' ? t.attrs.get('src') : undefined);
      if (ref === undefined || ref === '' || /^[a-z][a-z0-9+.-]*:/i.test(ref)) continue;
      const url = new URL(ref, pageUrl);
      checked++;
      const where = `${page}: ${t.name} ${ref}`;
      if (!url.pathname.startsWith(site.base)) {
        problems.push(`${where} leaves the base path ${site.base}`);
        continue;
      }
      const target = `/${decodeURIComponent(url.pathname.slice(site.base.length))}`;
      const isPage = target.endsWith('/') ? pages.includes(target) : pages.includes(target);
      const file = join(site.dir, target);
      let exists = isPage;
      if (!exists) {
        try {
          readFileSync(file);
          exists = true;
        } catch {
          exists = false;
        }
      }
      if (!exists) {
        problems.push(`${where}: no such page or file`);
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      // A share link's fragment (#s=v1....) carries a scenario for the simulator, not an anchor.
      const shareState = fragment.startsWith('s=');
      if (fragment !== '' && !shareState && isPage && !idsOf(target).has(fragment)) {
        problems.push(`${where}: no id "${fragment}" on ${target}`);
      }
    }
  }
  if (checked < 1000) problems.push(`only ${checked} links checked`);
  return problems;
}

describe('links', () => {
  it('all resolve, anchors included, in the site built at the root', () => {
    expect(brokenLinks(root)).toEqual([]);
  });

  it('all resolve and stay under /sub/ in the site built with BASE_PATH=/sub/', () => {
    expect(brokenLinks(sub)).toEqual([]);
    const guide = read(sub, '/guides/events/');
    expect(guide).toContain('href="/sub/reference/"');
    expect(guide).not.toMatch(/(?:href|src)="\/(?!sub\/)/);
  });
});

// ---- JavaScript budget --------------------------------------------------------------------------

describe('JavaScript loaded before interaction, measured in Chromium', () => {
  for (const which of ['root', 'sub'] as const) {
    const pages = which === 'root' ? 'every' : 'one';
    it(`stays within ${BUDGET_BYTES / 1024} KB gzipped on ${pages} home, guide, reference and Verified page, idle-time fetches included, and leaves Pagefind for when the search opens (${which} build)`, async () => {
      const site = which === 'root' ? root : sub;
      // Every page of the root build; one page per type of the /sub/ build, whose pages load the same scripts.
      const report = await measureSite(site.dir, site.base, undefined, { onePerType: which === 'sub' });
      expect(report.map((r) => r.type)).toEqual(['home', 'guide', 'reference', 'verified']);
      for (const r of report) {
        const files = r.heaviest.scripts.filter((s) => !s.path.startsWith('inline #'));
        expect(files.length, r.type).toBeGreaterThan(0);
        for (const f of files) expect(f.path.startsWith(site.base), `${r.type}: ${f.path}`).toBe(true);
        expect(r.heaviest.scripts.every((s) => s.gzip > 0), r.type).toBe(true);
        expect(r.heaviest.gzip, `${r.type}: ${r.heaviest.page}`).toBeLessThanOrEqual(BUDGET_BYTES);
        expect(r.heaviest.scripts.filter((s) => isPagefind(s.path)), r.type).toEqual([]);
        expect(r.search.scripts.filter((s) => isSearchUi(s.path)), `${r.type}: opening the search`).toHaveLength(1);
      }
    }, 240_000);
  }
});

// ---- search ------------------------------------------------------------------------------------------

describe('search', () => {
  it('is built: guides and reference in the main index, recordings, scenarios and the simulator in the secondary one', () => {
    const pageCount = (site: BuiltSite, bundle: string) =>
      (JSON.parse(readFileSync(join(site.dir, bundle, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> }).languages.en!.page_count;
    for (const site of [root, sub]) {
      expect(() => readFileSync(join(site.dir, 'pagefind/pagefind.js'))).not.toThrow();
      for (const page of ['/', '/guides/events/', '/reference/', '/reference/events/NETDEV_STREAM_CONNECTED/']) {
        expect(read(site, page), page).toContain('data-pagefind-body');
      }
      const secondary = ['/verified/', '/verified/04-server-inet4/', '/scenarios/', '/scenarios/ipv6-server/', '/simulator/', '/simulator/ipv6-server/'];
      for (const page of secondary) expect(read(site, page), page).not.toContain('data-pagefind-body');
      const pages = htmlPages(site.dir);
      expect(pageCount(site, 'pagefind-secondary')).toBe(pages.filter((p) => /^\/(verified|scenarios|simulator)\//.test(p)).length);
      // The embed (/embed/) is a frame for other sites, not a page to find.
      expect(read(site, '/embed/')).not.toContain('data-pagefind-body');
      expect(pageCount(site, 'pagefind')).toBe(pages.filter((p) => !/^\/(verified|scenarios|simulator|embed)\//.test(p) && p !== '/404.html').length);
    }
  });

  it("names the search button by its visible text and hides the key hint from assistive technology", () => {
    const html = read(root, '/guides/events/');
    const button = /<button\b[^>]*data-open-modal[^>]*>[\s\S]*?<\/button>/.exec(html)![0];
    expect(button).not.toMatch(/^<button\b[^>]*aria-label=/);
    expect(button).toMatch(/<span\b(?![^>]*aria-hidden)[^>]*>Search<\/span>/);
    expect(button).toMatch(/<kbd\b[^>]*aria-hidden="true"/);
  });

  it("passes Starlight's search label to Pagefind as its placeholder, and keeps Pagefind's UI out of the page", () => {
    const html = read(root, '/guides/events/');
    const el = /<nsl-search\b[^>]*>/.exec(html)![0];
    expect(JSON.parse(decodeEntities(/data-translations="([^"]*)"/.exec(el)![1]!))).toEqual({ placeholder: 'Search' });
    // trailingSlash is 'always': links keep their slash.
    expect(el).not.toContain('data-strip-trailing-slash');
    expect(html).not.toMatch(/<link\b[^>]*pagefind/);
  });
});

// ---- in a browser: search, themes, accessibility ---------------------------------------------------

describe('in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveSite>>;
  const axeSource = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    server = await serveSite(sub);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function axeViolations(page: Page): Promise<string[]> {
    await page.evaluate(axeSource);
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<unknown> } }).axe.run(document, {
        rules: { 'label-content-name-mismatch': { enabled: true } },
      }),
    )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('finds pages with Pagefind search under the sub-path, fetching its UI from there when the search opens', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    const recorder = recordScripts(page);
    await page.goto(`${server.url}guides/events/`);
    await recorder.settle();
    expect(requested.filter(isPagefind)).toEqual([]);
    await page.getByRole('button', { name: 'Search' }).click();
    const input = page.getByRole('dialog').getByRole('search').getByRole('textbox');
    await input.fill('reconnect-ms');
    const first = page.locator('.pagefind-ui__result-link').first();
    await first.waitFor({ timeout: 15_000 });
    const hrefs = await page.locator('.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h.startsWith('/sub/')).toBe(true);
    expect(hrefs.some((h) => h.startsWith('/sub/guides/reconnect/'))).toBe(true);
    const ui = requested.filter((p) => isSearchUi(p) || /\/pagefind-ui\.[\w-]+\.css$/.test(p));
    expect(ui).toHaveLength(2);
    for (const p of ui) expect(p.startsWith('/sub/_astro/'), p).toBe(true);
    await page.close();
  }, 60_000);

  it('switches between the light and dark themes', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(`${server.url}reference/`);
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.getByRole('combobox', { name: 'Select theme' }).first().selectOption('light');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.close();
  }, 30_000);

  const pages = ['', 'guides/info-network/', 'guides/reconnect/', 'reference/types/NetdevStreamOptions/', 'reference/events/NETDEV_STREAM_CONNECTED/', 'verified/', 'verified/04-server-inet4/'];
  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe violations on each page type in the ${scheme} theme`, async () => {
      const page = await browser.newPage({ colorScheme: scheme });
      const found: string[] = [];
      for (const p of pages) {
        await page.goto(`${server.url}${p}`);
        expect(await page.locator('html').getAttribute('data-theme')).toBe(scheme);
        found.push(...(await axeViolations(page)).map((v) => `/${p}: ${v}`));
      }
      expect(found).toEqual([]);
      await page.close();
    }, 90_000);
  }

  it('has no axe violations on a narrow screen, where the search button shows only its icon', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`${server.url}guides/events/`);
    await expect(page.getByRole('button', { name: 'Search' }).isVisible()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});

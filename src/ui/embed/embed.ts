/**
 * /embed/: the stage alone for a `#s=v1.…` share link, for other sites to
 * put in an iframe. A guided scenario's link is shown from the trace the
 * build made (src/pages/embed/traces/), so the page fetches no engine; any
 * other link goes to the engine worker, which reads it with the simulator's
 * codec and runs it. A bad link gets the simulator's own message, as text.
 *
 * The page keeps "Open in the simulator" pointing at the same scenario,
 * release and step, and tells its parent page how tall it is
 * ({type: "netdev-sim:resize", height}) so a host can size the frame.
 */
import { formatIssue } from '../../core/scenario/issue.ts';
import { toRecordV1 } from '../../share/record-v1.ts';
import { definePlayerElement, type PlayerApi } from '../player/player.ts';
import { say, clear } from '../simulator/messages.ts';
import type { Trace } from '../trace/types.ts';
import { keyHash, recordKey, type GuidedIndex, type GuidedTrace } from './guided.ts';
import { fragmentAt, linkParam, readRecord } from './link-record.ts';

export const RESIZE_MESSAGE = 'netdev-sim:resize';

interface EmbedInit {
  /** Hash of each guided scenario's record key -> its trace file's address. */
  guided: GuidedIndex;
  /** The simulator page's address. */
  simulator: string;
  /** The record of the scenario the page was built with (shown when the address has no link). */
  record: unknown[];
}

export function startEmbed(root: HTMLElement): void {
  definePlayerElement();
  const init = JSON.parse(root.querySelector('script[data-embed-init]')?.textContent ?? '{}') as EmbedInit;
  const player = root.querySelector('nsl-player') as PlayerApi;
  const stage = root.querySelector<HTMLElement>('[data-embed-stage]')!;
  const message = root.querySelector<HTMLElement>('[data-embed-message]');
  const open = root.querySelector<HTMLAnchorElement>('[data-embed-open]')!;
  const title = root.querySelector<HTMLElement>('[data-embed-title]');
  let record: unknown[] = init.record;
  let loads = 0;

  let linkTimer: ReturnType<typeof setTimeout> | null = null;
  const updateLink = () => {
    if (linkTimer) clearTimeout(linkTimer);
    linkTimer = setTimeout(() => {
      const shown = record;
      void fragmentAt(shown, player.position).then((f) => {
        if (shown === record) open.href = `${init.simulator}#${f}`;
      });
    }, 100);
  };
  player.addEventListener('nsl-position', updateLink);

  const show = (trace: Trace, step: number, rec: unknown[], name: string | undefined) => {
    record = rec;
    if (title) {
      title.textContent = name ?? 'Untitled scenario';
      title.title = title.textContent;
    }
    player.setTrace(trace, step);
    stage.hidden = false;
    clear(message);
    updateLink();
  };

  const fail = (text: string, details: string[] = []) => {
    stage.hidden = true;
    if (title) title.textContent = 'Netdev Stream Lab';
    open.href = init.simulator;
    say(message, 'error', text, details);
  };

  const load = async () => {
    const seq = ++loads;
    const param = linkParam(location.hash);
    if (param === null) {
      record = init.record;
      stage.hidden = false;
      clear(message);
      updateLink();
      return;
    }
    stage.hidden = true;
    say(message, 'info', 'Loading the shared scenario…');
    const fromBuild = await guidedTrace(param, init.guided);
    if (seq !== loads) return;
    if (fromBuild) {
      show(fromBuild.trace, fromBuild.step, fromBuild.record, fromBuild.title);
      return;
    }
    try {
      const { engine } = await import('../engine/client.ts');
      const decoded = await engine.decode(location.hash);
      if (seq !== loads) return;
      if (!decoded) return fail('This address holds no shared scenario.');
      if (!decoded.ok) return fail(`This link could not be opened. ${decoded.error}`, (decoded.issues ?? []).slice(0, 8).map(formatIssue));
      const r = await engine.run(decoded.scenario, decoded.release === decoded.scenario.qemu ? null : decoded.release);
      if (seq !== loads) return;
      if (r.kind === 'ok') show(r.trace, decoded.step, toRecordV1(r.scenario, decoded.release, decoded.step), r.scenario.title);
      else if (r.kind === 'invalid') fail('This link could not be opened: its scenario is not valid.', r.issues.slice(0, 8).map(formatIssue));
      else if (r.kind === 'limitation') fail(`The simulator cannot run this scenario: ${r.path ? `${r.path}: ` : ''}${r.message}.`);
      else fail(r.message);
    } catch (e) {
      if (seq === loads) fail(`The link could not be read: ${(e as Error).message}`);
    }
  };

  window.addEventListener('hashchange', () => void load());
  reportHeight(root.ownerDocument);
  void load();
}

/** A guided scenario's prebuilt trace when the link holds exactly that scenario and a step it has. */
async function guidedTrace(param: string, guided: GuidedIndex): Promise<{ trace: Trace; step: number; record: unknown[]; title: string | undefined } | null> {
  try {
    const record = await readRecord(param);
    if (!record) return null;
    const key = recordKey(record);
    const file = guided[keyHash(key)];
    if (!file) return null;
    const response = await fetch(file);
    if (!response.ok) return null;
    const data = (await response.json()) as GuidedTrace;
    const step = record[0];
    if (data.key !== key || typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > data.trace.last) return null;
    return { trace: data.trace, step, record, title: typeof record[3] === 'string' ? record[3] : undefined };
  } catch {
    return null;
  }
}

/** Posts the document's height to the parent page whenever it changes (only inside a frame). */
function reportHeight(doc: Document): void {
  const win = doc.defaultView;
  if (!win || win.parent === win) return;
  let last = -1;
  const post = () => {
    const height = Math.ceil(doc.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    win.parent.postMessage({ type: RESIZE_MESSAGE, height }, '*');
  };
  new ResizeObserver(post).observe(doc.documentElement);
  post();
}

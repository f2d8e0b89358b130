/**
 * The URL fragment follows what the simulator shows (scenario, release,
 * step), so the address bar is always a share link; the Share menu's "Copy
 * link" copies it and "Copy embed code" an iframe of /embed/ at that step;
 * opening or changing a `#s=` fragment opens that link. A link is
 * untrusted input: its problems are reported as text, and the scenario on
 * screen stays.
 */
import { formatIssue } from '../../core/scenario/issue.ts';
import { copyText } from '../dom/clipboard.ts';
import { embedCode } from '../embed/embed-code.ts';
import type { SimHost } from './host.ts';
import { say } from './messages.ts';

const HAS_LINK = /(^#|&)s=/;

export class LinkSync {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly host: SimHost) {
    host.querySelector('[data-copy-link]')?.addEventListener('click', () => {
      host.newAction();
      void this.copy();
    });
    host.querySelector('[data-copy-embed]')?.addEventListener('click', () => {
      host.newAction();
      void this.copy(true);
    });
    const share = host.querySelector<HTMLDetailsElement>('details.nsl-share');
    if (share) shareMenu(share);
    host.addEventListener('nsl-position', () => this.schedule());
    host.addEventListener('nsl-shown', () => this.schedule());
    window.addEventListener('hashchange', () => void this.open());
  }

  /** True when the page was opened with a share link. */
  static present(): boolean {
    return HAS_LINK.test(location.hash);
  }

  async open(): Promise<void> {
    const alerts = this.host.querySelector('[data-alerts]');
    if (!HAS_LINK.test(location.hash)) return;
    if (this.host.editorBlocks(alerts)) return;
    const hash = location.hash;
    let decoded;
    try {
      decoded = await (await this.host.engine()).decode(hash);
    } catch (e) {
      say(alerts, 'error', `The link could not be read: ${(e as Error).message}`);
      return;
    }
    if (!decoded) return;
    if (!decoded.ok) {
      say(alerts, 'error', `This link could not be opened. ${decoded.error} The simulator shows the scenario below instead.`, (decoded.issues ?? []).slice(0, 8).map(formatIssue));
      return;
    }
    // Opening a link is not an edit: it replaces what is shown, release included.
    const release = decoded.release === decoded.scenario.qemu ? null : decoded.release;
    const r = await this.host.run(decoded.scenario, decoded.step, alerts, { release });
    if (r?.kind === 'ok') say(alerts, 'info', `Opened a shared scenario: “${decoded.scenario.title ?? 'Untitled scenario'}” on QEMU ${decoded.release}, at step ${decoded.step}.`);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), 250);
  }

  private async fragment(): Promise<{ ok: true; fragment: string } | { ok: false; message: string }> {
    return (await this.host.engine()).encode(this.host.scenario, this.host.release, this.host.player.position);
  }

  private async update(): Promise<void> {
    let r;
    try {
      r = await this.fragment();
    } catch {
      return;
    }
    if (!r.ok) return;
    if (location.hash !== `#${r.fragment}`) history.replaceState(history.state, '', `#${r.fragment}`);
  }

  /** Copies the link, or (`embed`) an iframe of /embed/ showing the same step. */
  private async copy(embed = false): Promise<void> {
    const status = this.host.querySelector('[data-link-status]');
    let r;
    try {
      r = await this.fragment();
    } catch (e) {
      say(status, 'error', (e as Error).message);
      return;
    }
    if (!r.ok) {
      say(status, 'error', r.message);
      return;
    }
    const url = `${location.origin}${location.pathname}#${r.fragment}`;
    history.replaceState(history.state, '', `#${r.fragment}`);
    if (status) status.className = 'nsl-msg nsl-msg-ok';
    const step = this.host.player.position === 0 ? 'the start' : `step ${this.host.player.position}`;
    if (embed) {
      const base = this.host.querySelector<HTMLElement>('[data-embed-base]')?.dataset.embedBase ?? '/embed/';
      const code = embedCode(`${location.origin}${base}#${r.fragment}`, this.host.scenario.title);
      await copyText(code, status, `the embed code for ${step}`);
    } else {
      await copyText(url, status, `the link to ${step} (${url.length} characters)`);
    }
    status?.scrollIntoView({ block: 'nearest' });
  }
}

/**
 * The Share menu is a disclosure that opens over the page: opening it
 * brings its buttons (and the copy's message, shown inside it) into view
 * when the page has them below the fold; Escape or a click elsewhere
 * closes it.
 */
function shareMenu(share: HTMLDetailsElement): void {
  const summary = share.querySelector('summary');
  share.addEventListener('toggle', () => {
    if (share.open) share.querySelector('.nsl-share-menu')?.scrollIntoView({ block: 'nearest' });
  });
  share.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !share.open) return;
    share.open = false;
    summary?.focus();
  });
  share.ownerDocument.addEventListener('click', (e) => {
    if (share.open && !share.contains(e.target as Node)) share.open = false;
  });
}

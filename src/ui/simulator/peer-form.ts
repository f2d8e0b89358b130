/**
 * "Be a peer": a form that adds one peer step (connect, listen, send,
 * close, wait) after the current position. Its defaults and its address
 * picker come from the scenario on screen (known-addresses.ts) and follow
 * it when it changes, except in fields the reader has typed into.
 */
import { h, renderInto } from '../dom/h.ts';
import type { SimHost } from './host.ts';
import { knownAddresses, knownAddressLabel, peerDefaults, peerNames, type PeerAddressFields } from './known-addresses.ts';
import { say } from './messages.ts';
import { reportOf, sayReport } from './report.ts';
import { PEER_ACTIONS, stepFromForm, type PeerAction, type PeerFields } from './step-form.ts';

const FIELD_NAMES: Record<keyof PeerFields, string> = {
  peer: 'peer',
  addrType: 'addr-type',
  path: 'path',
  host: 'host',
  port: 'port',
  hex: 'hex',
  wait: 'wait',
  known: 'known',
};

export class PeerForm {
  private readonly form: HTMLFormElement;
  /** Fields the reader changed: scenario changes do not overwrite them. */
  private readonly touched = new Set<string>();
  private known: PeerAddressFields | null = null;

  constructor(
    private readonly host: SimHost,
    form: HTMLFormElement,
  ) {
    this.form = form;
    this.field<HTMLSelectElement>('addr-type')?.addEventListener('change', () => this.syncType());
    form.addEventListener('input', (e) => {
      const name = (e.target as HTMLInputElement).name;
      if (name && name !== 'known') this.touched.add(name);
      if (['addr-type', 'path', 'host', 'port'].includes(name)) this.known = null;
    });
    this.field<HTMLSelectElement>('known')?.addEventListener('change', (e) => {
      const value = (e.target as HTMLSelectElement).value;
      if (value === '') return;
      const k = knownAddresses(host.scenario).find((x) => x.text === value);
      if (!k) return;
      this.fill(k.addr);
      for (const n of ['addr-type', 'path', 'host', 'port']) this.touched.add(n);
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const submitter = (e).submitter as HTMLButtonElement | null;
      const action = (submitter?.value ?? 'connect') as PeerAction;
      host.newAction();
      if (PEER_ACTIONS.includes(action)) void this.act(action);
    });
    host.addEventListener('nsl-shown', () => this.refresh());
    this.syncType();
    this.refresh();
  }

  private field<T extends HTMLInputElement | HTMLSelectElement = HTMLInputElement>(name: string): T | null {
    return this.form.querySelector<T>(`[name="${name}"]`);
  }

  private message(): Element | null {
    return this.form.querySelector('[data-peer-message]');
  }

  private syncType(): void {
    const type = this.field<HTMLSelectElement>('addr-type')?.value;
    for (const el of this.form.querySelectorAll<HTMLElement>('[data-addr-for]')) el.hidden = el.dataset.addrFor !== type;
  }

  private set(name: string, value: string, force: boolean): void {
    const el = this.field(name);
    if (el && (force || !this.touched.has(name))) el.value = value;
  }

  private fill(a: PeerAddressFields, force = true): void {
    if (!force && ['addr-type', 'path', 'host', 'port'].some((n) => this.touched.has(n))) return;
    this.set('addr-type', a.type, true);
    if (a.type === 'unix') this.set('path', a.path, true);
    else {
      this.set('host', a.host, true);
      this.set('port', a.port, true);
    }
    this.known = a;
    this.syncType();
  }

  /** Picker, peer names and untouched defaults from the scenario on screen. */
  private refresh(): void {
    const s = this.host.scenario;
    const known = knownAddresses(s);
    const picker = this.field<HTMLSelectElement>('known');
    if (picker) {
      renderInto(picker, [
        h('option', { value: '' }, known.length ? 'Pick an address the scenario uses…' : 'The scenario names no address yet'),
        ...known.map((k) => h('option', { value: k.text }, knownAddressLabel(k))),
      ]);
    }
    const names = this.form.querySelector('datalist');
    if (names) renderInto(names, peerNames(s).map((p) => h('option', { value: p })));
    const d = peerDefaults(s);
    this.set('peer', d.peer, false);
    this.fill(d.addr, false);
    const hint = this.form.querySelector('[data-peer-hint]');
    if (hint) hint.textContent = d.hint;
  }

  private fields(): PeerFields {
    const v = (name: string) => this.field(name)?.value ?? '';
    return { peer: v('peer'), addrType: v('addr-type'), path: v('path'), host: v('host'), port: v('port'), hex: v('hex'), wait: v('wait'), known: this.known };
  }

  private async act(action: PeerAction): Promise<void> {
    const msg = this.message();
    const r = stepFromForm(action, this.fields());
    if (!r.ok) {
      say(msg, 'error', r.message);
      this.field(FIELD_NAMES[r.field])?.focus();
      return;
    }
    const ins = await this.host.insertStep(r.step, msg);
    if (ins) sayReport(msg, reportOf(ins));
  }
}

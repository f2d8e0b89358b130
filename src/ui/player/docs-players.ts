/**
 * The players of a docs page, once one comes into view (lazy.ts): defines
 * <nsl-player>, which upgrades every player on the page, and keeps each
 * player's "Open in simulator" link on the step the reader is on. The
 * link the build wrote holds the scenario and release at step 0; only its
 * step changes (the embed does the same, src/ui/embed/link-record.ts).
 */
import { fragmentAt, linkParam, readRecord } from '../embed/link-record.ts';
import { definePlayerElement, type PlayerApi } from './player.ts';

/** Keeps a slot's simulator link at the player's step. */
function followStep(slot: Element): void {
  const player = slot.querySelector<PlayerApi & HTMLElement>('nsl-player');
  const link = slot.querySelector<HTMLAnchorElement>('a[data-open-simulator]');
  if (!player || !link) return;
  const base = link.href.replace(/#.*$/, '');
  const record = readRecord(linkParam(new URL(link.href).hash) ?? '');
  let seq = 0;
  player.addEventListener('nsl-position', (e) => {
    const step = (e as CustomEvent<{ position: number }>).detail.position;
    const mine = ++seq;
    void record.then(async (r) => {
      if (!r) return;
      const fragment = await fragmentAt(r, step);
      if (mine === seq) link.href = `${base}#${fragment}`;
    });
  });
}

export function startDocsPlayers(doc: Document): void {
  definePlayerElement();
  for (const slot of doc.querySelectorAll('.nsl-player-slot')) followStep(slot);
}

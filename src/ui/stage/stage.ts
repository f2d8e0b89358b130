/**
 * Draws the stage (Stage.astro's markup) at a position in the browser: the
 * network picture, the caption, the netdev picker and the state machine's
 * marks. Needs nothing but a root element and a trace, so any page can
 * mount a stage (the simulator's player, an embed). The bytes a step wrote
 * travel along their connection when the reader steps forward by one,
 * unless they prefer reduced motion.
 */
import { renderInto } from '../dom/h.ts';
import type { Trace } from '../trace/types.ts';
import { captionView } from './caption.ts';
import { machineMarks, markMachine, pickerView } from './machine.ts';
import { pictureView } from './picture.ts';

const FOCUS_KEYS = ['netdev', 'peer', 'listener', 'conn'] as const;

/** The data attribute of the focused picture element, to focus its successor after a redraw. */
function focusedKey(root: Element): string | null {
  const el = root.ownerDocument.activeElement;
  if (!el || !root.contains(el)) return null;
  for (const k of FOCUS_KEYS) {
    const v = el.getAttribute(`data-${k}`);
    if (v !== null) return `[data-${k}="${CSS.escape(v)}"]`;
  }
  return null;
}

/**
 * Renders position k into the stage's root ([data-stage]; with
 * data-actionable, the picture's things are menu buttons). `before` is
 * the position shown until now (-1 when unknown), `chosen` the netdev
 * handle the reader picked (or null).
 * Returns the handle of the netdev the state machine follows.
 */
export function renderStage(root: Element, trace: Trace, k: number, before: number, chosen: number | null): number | null {
  const picture = root.querySelector('[data-stage-view="picture"]');
  if (picture) {
    const focus = focusedKey(picture);
    const actionable = root.closest('[data-stage]')?.hasAttribute('data-actionable') ?? false;
    renderInto(picture, pictureView(trace, k, { actionable }));
    if (focus) picture.querySelector<SVGElement>(focus)?.focus();
    const motion = picture.querySelector<SVGAnimationElement>('animateMotion');
    const still = root.ownerDocument.defaultView?.matchMedia('(prefers-reduced-motion: reduce)').matches ?? true;
    if (motion && before === k - 1 && !still) motion.beginElement();
  }
  const caption = root.querySelector('[data-stage-view="caption"]');
  if (caption) renderInto(caption, captionView(trace, k));
  const marks = machineMarks(trace, k, chosen);
  const picker = root.querySelector('[data-stage-view="picker"]');
  if (picker) {
    const select = picker.querySelector('select');
    const focused = select !== null && root.ownerDocument.activeElement === select;
    // Keep the reader's select while they use it; redraw it when the cast changes.
    if (!focused || select.options.length !== trace.cast.netdevs.length) renderInto(picker, pickerView(trace, marks));
  }
  markMachine(root, marks);
  return marks.handle;
}

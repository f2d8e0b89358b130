/** Playback speeds (steps a second) and the keyboard shortcuts, shared by the player and the page that documents them. */

export const SPEEDS = [0.5, 1, 2, 4];

export type PlayerAction = 'forward' | 'back' | 'play' | 'start' | 'end' | 'faster' | 'slower';

/** Key (KeyboardEvent.key) to action. */
export const SHORTCUTS: Record<string, PlayerAction> = {
  l: 'forward',
  ArrowRight: 'forward',
  j: 'back',
  ArrowLeft: 'back',
  k: 'play',
  ' ': 'play',
  '0': 'start',
  Home: 'start',
  e: 'end',
  End: 'end',
  '+': 'faster',
  '=': 'faster',
  '-': 'slower',
};

/** Keys that also mean something to the focused element; the player takes them only on its own controls. */
export const LOCAL_ONLY = new Set(['ArrowRight', 'ArrowLeft', ' ', 'Home', 'End']);
/** Of those, the ones a page-wide player also takes when nothing has focus. */
export const IDLE_KEYS = new Set(['ArrowRight', 'ArrowLeft', ' ']);

/** The shortcut table as the page shows it. */
export const SHORTCUT_HELP: { keys: string[]; what: string }[] = [
  { keys: ['L', '→'], what: 'Step forward' },
  { keys: ['J', '←'], what: 'Step back' },
  { keys: ['K', 'Space'], what: 'Play / Pause' },
  { keys: ['0', 'Home'], what: 'Restart (to the start)' },
  { keys: ['E', 'End'], what: 'To end' },
  { keys: ['+', '−'], what: 'Faster / slower' },
];

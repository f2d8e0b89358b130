/**
 * Docs pages: fetch the player's code only once a player is on screen.
 * Defining the element upgrades every player on the page at once
 * (docs-players.ts).
 */
export function loadPlayersWhenVisible(doc: Document): void {
  const players = doc.querySelectorAll('.nsl-player-slot nsl-player');
  if (players.length === 0) return;
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    void import('./docs-players.ts').then((m) => m.startDocsPlayers(doc));
  });
  for (const p of players) observer.observe(p);
}

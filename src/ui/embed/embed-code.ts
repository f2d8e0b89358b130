/**
 * The HTML a site pastes to embed a scenario: an iframe of /embed/ with the
 * share link's fragment. The title comes from the scenario (anyone can
 * write it), so every attribute value is escaped.
 */

/** The frame's default size: at 720 px wide every step of every guided scenario fits without scrolling (test/e2e/embed.test.ts measures it). */
export const EMBED_WIDTH = 720;
export const EMBED_HEIGHT = 560;

const escapeAttribute = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function embedCode(src: string, scenarioTitle: string | undefined, width = EMBED_WIDTH, height = EMBED_HEIGHT): string {
  const title = `Netdev Stream Lab: ${scenarioTitle ?? 'Untitled scenario'}`;
  return `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(title)}" width="${width}" height="${height}" loading="lazy"></iframe>`;
}

/** /embed/traces/<name>.json: a guided scenario's trace, made at build time, for /embed/ (src/ui/embed/embed.ts). */
import type { APIRoute } from 'astro';
import { guidedTrace } from '../../../components/embed/guided-traces.ts';
import { library, type LibraryEntry } from '../../../components/simulator/library.ts';

export function getStaticPaths() {
  return library().map((entry) => ({ params: { slug: entry.slug }, props: { entry } }));
}

export const GET: APIRoute = ({ props }) => new Response(JSON.stringify(guidedTrace((props as { entry: LibraryEntry }).entry)), { headers: { 'Content-Type': 'application/json' } });

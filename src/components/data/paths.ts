/// <reference types="vite/client" />
/**
 * Site links with the base path (BASE_PATH at build time, Astro's `base`).
 * Every internal link a component writes goes through withBase, so the
 * site works at the root of a host and under a sub-path alike.
 */
export function withBase(path: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  return `${base}/${path.replace(/^\//, '')}`;
}

// Types that Astro and Starlight provide only through generated files or
// internal modules, for `astro check` and tsc.

// Starlight's `Astro.locals` (t, starlightRoute).
/// <reference types="@astrojs/starlight" />

// Starlight's internal virtual module, used by src/components/Search.astro as
// Starlight's own Search component does; only the fields read here.
declare module 'virtual:starlight/project-context' {
  const project: { trailingSlash: 'always' | 'never' | 'ignore' };
  export default project;
}

// SVG elements take the global `hidden` attribute too (src/components/simulator/Player.astro).
declare namespace astroHTML.JSX {
  interface SVGAttributes {
    hidden?: boolean | string | undefined | null;
  }
}

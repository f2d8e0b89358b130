// Types for the two modules the lazy search UI imports that ship none.

declare module '@pagefind/default-ui' {
  /** Pagefind's default search UI; it renders into `options.element` when constructed. */
  export class PagefindUI {
    constructor(options: Record<string, unknown>);
    triggerSearch(term: string): void;
    destroy(): void;
  }
}

declare module 'virtual:starlight/pagefind-config' {
  /** Starlight's `pagefind` settings (ranking weights, merged indexes), defaults filled in. */
  export const pagefindUserConfig: Record<string, unknown>;
}

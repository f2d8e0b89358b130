/** The things in the stage's network picture a reader can act on (their data attributes come from src/ui/stage/picture.ts). */
export const PICTURE_TARGETS = '[data-actionable] [data-stage-view="picture"] :is([data-netdev], [data-peer], [data-listener], [data-conn], .nsl-pic-qemu)';

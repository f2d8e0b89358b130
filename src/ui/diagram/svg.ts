/**
 * Small drawing helpers the diagrams and the stage's picture share:
 * coordinates rounded to a tenth of a unit (short, stable SVG text) and an
 * arrowhead as a polygon's points.
 */

/** `n` rounded to a tenth. */
export const tenth = (n: number): number => Math.round(n * 10) / 10;

/**
 * An arrowhead whose tip is at (x, y), pointing away from (fromX, fromY):
 * `length` long along that line and `halfWidth` wide on each side of it,
 * as the `points` of a polygon.
 */
export function arrowHead(x: number, y: number, fromX: number, fromY: number, length: number, halfWidth: number): string {
  const a = Math.atan2(y - fromY, x - fromX);
  const bx = x - length * Math.cos(a);
  const by = y - length * Math.sin(a);
  const px = -Math.sin(a) * halfWidth;
  const py = Math.cos(a) * halfWidth;
  return `${tenth(x)},${tenth(y)} ${tenth(bx + px)},${tenth(by + py)} ${tenth(bx - px)},${tenth(by - py)}`;
}

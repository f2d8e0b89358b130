/**
 * Where a long identifier may wrap. NETDEV_STREAM_DISCONNECTED has no space
 * or hyphen, so a narrow column would break it anywhere ("…DISCONNE/CTED");
 * these helpers offer a break after each underscore instead.
 */

/** `text` cut after each underscore that has more text after it: "A_B_C" -> ["A_", "B_", "C"]. */
export function underscoreParts(text: string): string[] {
  return text.split(/(?<=_)(?=.)/);
}

/** `text` with a zero-width space after each inner underscore, for places that take only text (sidebar labels). */
export function withUnderscoreBreaks(text: string): string {
  return underscoreParts(text).join('\u200b');
}

/**
 * A QAPI signature cut where a line may end: after the opening parenthesis,
 * after each ", " and before " -> ".
 * "f(a: str, b?: int) -> str" -> ["f(", "a: str, ", "b?: int)", " -> str"].
 */
export function signatureParts(signature: string): string[] {
  return signature.split(/(?<=\(|, )(?=.)|(?= -> )/);
}

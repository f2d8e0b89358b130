/**
 * Where a long identifier may wrap. NETDEV_STREAM_DISCONNECTED or
 * InetSocketAddress have no space or hyphen, so a narrow column would break
 * them anywhere ("…DISCONNE/CTED", "InetSocketAddres/s"); these helpers offer
 * a break after each underscore and between the words of a CamelCase name
 * instead.
 */

/** `text` cut after each inner underscore and before each inner capital that follows a small letter: "A_B" -> ["A_", "B"], "InetSocket" -> ["Inet", "Socket"]. */
export function identifierParts(text: string): string[] {
  return text.split(/(?<=_)(?=.)|(?<=[a-z])(?=[A-Z])/);
}

/** `text` with a zero-width space at each of those places, for places that take only text (sidebar labels). */
export function withIdentifierBreaks(text: string): string {
  return identifierParts(text).join('\u200b');
}

/**
 * A QAPI signature cut where a line may end: after the opening parenthesis,
 * after each ", " and before " -> ".
 * "f(a: str, b?: int) -> str" -> ["f(", "a: str, ", "b?: int)", " -> str"].
 */
export function signatureParts(signature: string): string[] {
  return signature.split(/(?<=\(|, )(?=.)|(?= -> )/);
}

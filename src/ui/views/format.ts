/** Small text helpers shared by the views. */

/** Simulated time as the views write it: "1,050 ms". */
export function ms(t: number): string {
  return `${Math.round(t).toLocaleString('en-US')} ms`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A message as readable JSON, two-space indented; text that is not JSON stays as it is. */
export function prettyJson(line: string): string {
  try {
    return JSON.stringify(JSON.parse(line), null, 2);
  } catch {
    return line;
  }
}

/**
 * A problem found in a scenario and how it is written: the path of the bad
 * value, then the message. Kept apart from the schema (and valibot) so the
 * simulator page can word issues without loading the checker.
 */

export interface ScenarioIssue {
  /** Where the bad value is, e.g. "steps[3].connect.type"; "" for the whole scenario. */
  path: string;
  message: string;
}

export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(k)) s += s === '' ? k : `.${k}`;
    else s += `[${JSON.stringify(k)}]`;
  }
  return s;
}

export function formatIssue(i: ScenarioIssue): string {
  return i.path === '' ? i.message : `${i.path}: ${i.message}`;
}

/**
 * Tables with one column per release get wide; releases that give the
 * same answer in every row share one column ("9.2 to 10.1").
 */
import { RELEASES } from '../../core/releases.ts';

export interface ReleaseColumn {
  releases: string[];
  /** "7.2", "8.0 to 8.2". */
  label: string;
  /** Whether a release of the group was recorded on real QEMU. */
  recorded: string[];
}

/** Groups adjacent releases whose cells (one per row) are all equal. */
export function groupColumns(cellsFor: (release: string) => string[]): ReleaseColumn[] {
  const out: (ReleaseColumn & { key: string })[] = [];
  for (const r of RELEASES) {
    const key = JSON.stringify(cellsFor(r.name));
    const last = out.at(-1);
    if (last && last.key === key) {
      last.releases.push(r.name);
      if (r.recorded) last.recorded.push(r.name);
    } else {
      out.push({ key, releases: [r.name], label: '', recorded: r.recorded ? [r.name] : [] });
    }
  }
  return out.map(({ key: _key, ...c }) => ({
    ...c,
    label: c.releases.length === 1 ? c.releases[0]! : `${c.releases[0]} to ${c.releases.at(-1)}`,
  }));
}

/**
 * TEMPORARY: accepts every argument until the QAPI visitor lands.
 * tests that are about behaviour, not argument errors.
 */
import type { ArgumentChecker } from './arguments.ts';

function dotted(obj: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && (k === 'type' || k === 'id')) continue;
    if (v !== null && typeof v === 'object') out.push(...dotted(v as Record<string, unknown>, `${prefix}${k}.`));
    else out.push(`${prefix}${k}=${typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v).replace(/,/g, ',,')}`);
  }
  return out;
}

export const schemaChecker: ArgumentChecker = {
  command: (_r, _c, args) => ({ ok: true, value: args }),
  dottedOptions: (nd) => [String(nd.type), ...(nd.id !== undefined ? [`id=${String(nd.id)}`] : []), ...dotted(nd)].join(','),
  commandLineNetdev: (_r, optarg) => {
    const parts = optarg.split(',');
    const out: Record<string, unknown> = { type: parts[0] };
    for (const p of parts.slice(1)) {
      const [k, v] = p.split('=') as [string, string];
      const keys = k.split('.');
      let o = out;
      for (const key of keys.slice(0, -1)) o = (o[key] ??= {}) as Record<string, unknown>;
      const last = keys[keys.length - 1]!;
      o[last] = v === 'on' ? true : v === 'off' ? false : /^-?\d+$/.test(v) && last !== 'port' && last !== 'path' ? Number(v) : v;
    }
    return { ok: true, value: out };
  },
  commandNames: () => [],
};

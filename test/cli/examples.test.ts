/**
 * `netdev-sim examples`: every guided scenario of the site, and only
 * those, can be listed and printed, and what it prints runs as the file does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempFiles } from '../support/cli.ts';

const DIR = new URL('../../content/scenarios/', import.meta.url).pathname;
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

describe('netdev-sim examples', () => {
  it('lists every guided scenario of content/scenarios with its title', async () => {
    const { status, out } = await cli('examples');
    expect(status).toBe(0);
    const rows = out.split('\n').filter((l) => /^\S+\s{2,}\S/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0]).sort()).toEqual(NAMES);
    const title = (JSON.parse(readFileSync(join(DIR, 'libvirt-restarts-passt.json'), 'utf8')) as { title: string }).title;
    expect(rows.find((l) => l.startsWith('libvirt-restarts-passt '))).toContain(title);
  });

  it.each(NAMES)('prints %s as its file holds it, and the printed copy runs like the file', async (name) => {
    const { status, out } = await cli('examples', name);
    expect(status).toBe(0);
    expect(JSON.parse(out)).toEqual(JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')));
    const copy = tempFiles('nsl-examples-').file(`${name}.json`, out);
    const [fromCopy, fromFile] = [await cli('run', copy, '--quiet'), await cli('run', join(DIR, `${name}.json`), '--quiet')];
    expect(fromCopy.status).toBe(0);
    expect(fromCopy.out).toBe(fromFile.out);
  });

  it('refuses a name it does not have, saying how to list them', async () => {
    const { status, err } = await cli('examples', 'no-such-thing');
    expect(status).toBe(2);
    expect(err).toBe('netdev-sim: no example named "no-such-thing"; netdev-sim examples lists them\n');
    expect((await cli('examples', 'a', 'b')).status).toBe(2);
  });
});

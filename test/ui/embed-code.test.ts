/** The embed code the Share menu copies: an iframe whose attributes hold the scenario's title as text, whatever it contains. */
import { describe, expect, it } from 'vitest';
import { EMBED_HEIGHT, EMBED_WIDTH, embedCode } from '../../src/ui/embed/embed-code.ts';
import { keyHash, recordKey } from '../../src/ui/embed/guided.ts';

describe('embed code', () => {
  it('is an iframe with src, title, width, height and loading="lazy"', () => {
    expect(embedCode('https://example.org/embed/#s=v1.abc', 'A server')).toBe(
      `<iframe src="https://example.org/embed/#s=v1.abc" title="Netdev Stream Lab: A server" width="${EMBED_WIDTH}" height="${EMBED_HEIGHT}" loading="lazy"></iframe>`,
    );
  });

  it('escapes a hostile title so it cannot leave its attribute', () => {
    const code = embedCode('https://example.org/embed/#s=v1.abc', `"><script>alert(1)</script><b a='x'>&`);
    expect(code).toContain('title="Netdev Stream Lab: &#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#60;b a=&#39;x&#39;&#62;&#38;"');
    expect(code.match(/</g)).toHaveLength(2);
    expect(code.match(/"/g)).toHaveLength(10);
  });
});

describe('guided scenario keys', () => {
  it('ignore the step and tell apart any other change', () => {
    const a = [3, '10.0', null, 'T', null, [], [150]];
    expect(recordKey(a)).toBe(recordKey([0, ...a.slice(1)]));
    expect(keyHash(recordKey(a))).not.toBe(keyHash(recordKey([3, '10.0', null, 'T', null, [], [151]])));
    expect(keyHash('x')).toMatch(/^[0-9a-z]+$/);
  });
});

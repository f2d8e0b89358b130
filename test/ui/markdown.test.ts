/**
 * Scenario descriptions as elements: the small markdown subset, with
 * underscores inside a word (QMP's event names) left as they are, as
 * CommonMark leaves them, and nothing ever parsed as HTML.
 */
import { describe, expect, it } from 'vitest';
import type { VNode } from '../../src/ui/dom/h.ts';
import { markdownView } from '../../src/ui/views/markdown.ts';

const tags = (n: VNode | string): string[] => (typeof n === 'string' ? [] : [n.tag, ...n.children.flatMap(tags)]);
const text = (n: VNode | string): string => (typeof n === 'string' ? n : n.children.map(text).join(''));

describe('markdownView', () => {
  it('keeps underscores inside words: NETDEV_STREAM_DISCONNECTED stays one plain word', () => {
    const [p] = markdownView('QEMU sends no NETDEV_STREAM_DISCONNECTED on its way out, nor a_b_c.');
    expect(tags(p!)).toEqual(['p']);
    expect(text(p!)).toBe('QEMU sends no NETDEV_STREAM_DISCONNECTED on its way out, nor a_b_c.');
  });

  it('still reads _emphasis_, *emphasis*, **strong**, `code` and safe links', () => {
    const [p] = markdownView('an _old_ and *new* **rule**, `x_y_z`, [guide](/guides/reconnect/) and [bad](javascript:alert(1))');
    expect(tags(p!)).toEqual(['p', 'em', 'em', 'strong', 'code', 'a']);
    expect(text(p!)).toBe('an old and new rule, x_y_z, guide and bad (javascript:alert(1))');
  });

  it('turns markup into text, never into elements', () => {
    const [p] = markdownView('<img src=x onerror=alert(1)> <b>bold</b>');
    expect(tags(p!)).toEqual(['p']);
    expect(text(p!)).toBe('<img src=x onerror=alert(1)> <b>bold</b>');
  });
});

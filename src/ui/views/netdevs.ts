/** Every netdev at a position: machine state, link, timer, counters, and `info network` verbatim. */
import { h, type VNode } from '../dom/h.ts';
import type { TracePosition } from '../trace/types.ts';
import { addressText } from '../trace/describe.ts';
import { ms } from './format.ts';

export function netdevsView(p: TracePosition): VNode {
  if (p.netdevs.length === 0) return h('p', { class: 'nsl-empty' }, 'No stream netdev exists.');
  return h(
    'table',
    { class: 'nsl-table' },
    h(
      'thead',
      null,
      h('tr', null, ['Netdev', 'Mode', 'State', 'Address', 'Link', 'Reconnect', 'Connects / disconnects', 'Frames in'].map((c) => h('th', { scope: 'col' }, c))),
    ),
    h(
      'tbody',
      null,
      p.netdevs.map((n) =>
        h(
          'tr',
          { class: n.deleted ? 'nsl-gone' : null },
          h('th', { scope: 'row' }, n.id, n.fromCommandLine ? '' : ' (netdev_add)'),
          h('td', null, n.mode),
          h('td', null, h('code', null, n.state)),
          h('td', null, h('code', null, addressText(n.addr))),
          h('td', null, n.linkDown ? 'down' : 'up'),
          h(
            'td',
            null,
            n.reconnectMs > 0 ? `every ${ms(n.reconnectMs)}` : 'off',
            n.timerAt !== null ? `; fires at ${ms(n.timerAt)}` : '',
          ),
          h('td', null, `${n.connects} / ${n.disconnects}`),
          h('td', null, `${n.framesIn} (${n.bytesIn} bytes)`),
        ),
      ),
    ),
  );
}

/** `info network` as QEMU would print it now, one netdev a line. */
export function infoNetworkView(p: TracePosition): VNode {
  const text = p.infoNetwork.replace(/\r\n/g, '\n').replace(/\n$/, '');
  return h('pre', { class: 'nsl-info' }, text === '' ? '(no netdev)' : text);
}

/** The simulated network at a position: listening sockets with their backlog, connections, peers. */
import { h, type VNode } from '../dom/h.ts';
import type { TracePosition } from '../trace/types.ts';
import { plural } from './format.ts';

const conn = (id: number) => `connection #${id}`;

/** `heading` is the tag of the three sub-titles: h4 under the simulator's h3 panels, p where the player has no headings. */
export function networkView(p: TracePosition, heading: 'h4' | 'p' = 'h4'): VNode {
  const listeners = p.listeners.length
    ? h(
        'ul',
        { class: 'nsl-list' },
        p.listeners.map((l) =>
          h(
            'li',
            null,
            h('code', null, l.address),
            ` — ${l.owner}, backlog ${l.backlog}`,
            l.queued.length
              ? `; waiting to be accepted: ${l.queued.map(conn).join(', ')}`
              : '; nothing waiting to be accepted',
            l.blocked.length ? `; blocked, the backlog is full: ${l.blocked.map(conn).join(', ')}` : '',
          ),
        ),
      )
    : h('p', { class: 'nsl-empty' }, 'No socket is listening.');
  const connections = p.connections.length
    ? h(
        'ul',
        { class: 'nsl-list' },
        p.connections.map((c) =>
          h(
            'li',
            null,
            h('strong', null, `#${c.id}`),
            ` ${c.state}: `,
            c.ends.map((e, i) => [
              i > 0 && ' ⇄ ',
              h(
                'span',
                { class: 'nsl-end' },
                `${e.owner} (`,
                h('code', null, e.local),
                ' → ',
                h('code', null, e.remote),
                ')',
                e.unread ? `, ${plural(e.unread, 'byte')} unread` : '',
                e.eof ? ', saw end-of-file' : '',
                e.closed ? ', closed' : '',
              ),
            ]),
          ),
        ),
      )
    : h('p', { class: 'nsl-empty' }, 'No connection.');
  const peers = p.peers.length
    ? h(
        'ul',
        { class: 'nsl-list' },
        p.peers.map((peer) => {
          const parts: string[] = [];
          if (peer.listening) parts.push(`listening on ${peer.listening}`);
          if (peer.connection !== null) parts.push(`has ${conn(peer.connection)}`);
          if (peer.waitingForBacklog) parts.push('waits for room in a full backlog');
          if (peer.connectFailed !== null) parts.push(`not connected: connect failed (${peer.connectFailed})`);
          if (parts.length === 0) parts.push('idle (no socket)');
          return h('li', null, h('strong', null, `peer ${peer.name}`), `: ${parts.join(', ')}`);
        }),
      )
    : h('p', { class: 'nsl-empty' }, 'No peer yet.');
  return h(
    'div',
    { class: 'nsl-net' },
    h(heading, { class: 'nsl-subtitle' }, 'Listening sockets'),
    listeners,
    h(heading, { class: 'nsl-subtitle' }, 'Connections'),
    connections,
    h(heading, { class: 'nsl-subtitle' }, 'Peers'),
    peers,
  );
}

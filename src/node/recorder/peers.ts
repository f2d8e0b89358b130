/**
 * The scenario's peers on real sockets (scenario-format.md, "Peers"): each
 * has at most one listener and one connection. A listener binds with
 * backlog 16 (a stale unix socket file is removed first) and serves one
 * connection at a time; a connection that sees end-of-file is closed;
 * bytes that arrive are read and thrown away; `close` ends the connection
 * and the listener and removes a unix listener's file.
 *
 * What goes wrong is written down with the same words the engine's peers
 * use, so a recording's stderr can be compared with the simulator's.
 */
import { unlinkSync } from 'node:fs';
import net from 'node:net';
import type { SocketAddress } from '../../core/net/address.ts';
import { encodeFrame } from '../../core/net/framing.ts';
import { strerror, STRERROR_TEXT } from '../../core/net/strerror.ts';
import { unixBindErrno } from '../errno.ts';
import { nodeUnixPath } from '../node-address.ts';

/** The recorder's listen(2) backlog for peers (content/conformance/README.md). */
export const REAL_PEER_BACKLOG = 16;

/** A connect that fails sooner than this failed "at once" (the kernel said no in connect(2) itself). */
const AT_ONCE_MS = 50;

interface Peer {
  name: string;
  server: net.Server | null;
  /** The socket file the listener created. */
  serverPath: string | null;
  conn: net.Socket | null;
  /** Connections the listener took that wait for the current one to end. */
  queue: net.Socket[];
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  return STRERROR_TEXT[code] ?? (code || (e as Error)?.message || String(e));
}

/** Why a peer cannot listen or connect on a vsock or fd address. */
const unusable = (type: 'vsock' | 'fd') => (type === 'vsock' ? STRERROR_TEXT.EAFNOSUPPORT : 'a peer cannot use an fd address');

export class RealPeers {
  private readonly peers = new Map<string, Peer>();

  constructor(
    /** Writes one line to the recording's stderr. */
    private readonly note: (line: string) => void,
    /** Where relative unix paths are (the scenario's working directory). */
    private readonly cwd: string,
  ) {}

  private peer(name: string): Peer {
    let p = this.peers.get(name);
    if (!p) {
      p = { name, server: null, serverPath: null, conn: null, queue: [] };
      this.peers.set(name, p);
    }
    return p;
  }

  private peerNote(p: Peer, text: string): void {
    this.note(`[peer] ${p.name}: ${text}`);
  }

  /** Serves `sock` as the peer's connection: read and discard, close at end-of-file, then the next one. */
  private serve(p: Peer, sock: net.Socket): void {
    p.conn = sock;
    sock.on('data', () => {});
    const ended = () => {
      sock.destroy();
      if (p.conn !== sock) return;
      p.conn = null;
      const next = p.queue.shift();
      if (next) this.serve(p, next);
    };
    sock.on('end', ended);
    sock.on('error', ended);
    sock.resume();
  }

  listen(name: string, addr: SocketAddress): void {
    const p = this.peer(name);
    if (p.server) {
      this.peerNote(p, 'already listens; listen ignored');
      return;
    }
    let options: net.ListenOptions;
    let file: string | null = null;
    if (addr.type === 'unix') {
      const path = nodeUnixPath(addr, this.cwd);
      if (!addr.abstract) {
        file = path;
        try {
          unlinkSync(path);
        } catch {
          // No stale file.
        }
      }
      options = { path, backlog: REAL_PEER_BACKLOG };
    } else if (addr.type === 'inet') {
      // Like the engine's peers: an IPv6 listener takes IPv6 only.
      options = { host: addr.host, port: Number(addr.port), backlog: REAL_PEER_BACKLOG, ipv6Only: addr.host.includes(':') };
    } else {
      this.peerNote(p, `listen failed: ${unusable(addr.type)}`);
      return;
    }
    const server = net.createServer({ pauseOnConnect: true }, (sock) => {
      sock.on('error', () => {});
      if (p.conn) p.queue.push(sock);
      else this.serve(p, sock);
    });
    server.once('error', (e) => {
      if (p.server === server) {
        p.server = null;
        p.serverPath = null;
      }
      this.peerNote(p, `listen failed: ${file ? strerror(unixBindErrno(file, e)) : errnoText(e)}`);
    });
    server.listen(options);
    p.server = server;
    p.serverPath = file;
  }

  connect(name: string, addr: SocketAddress): void {
    const p = this.peer(name);
    if (p.conn) {
      this.peerNote(p, 'already has a connection; connect ignored');
      return;
    }
    let options: net.NetConnectOpts;
    if (addr.type === 'unix') options = { path: nodeUnixPath(addr, this.cwd) };
    else if (addr.type === 'inet') options = { host: addr.host, port: Number(addr.port) };
    else {
      this.note(`[recorder] peer ${name} connect failed: ${unusable(addr.type)}`);
      return;
    }
    const started = performance.now();
    const sock = net.connect(options);
    let connected = false;
    sock.once('connect', () => (connected = true));
    sock.once('error', (e) => {
      sock.destroy();
      if (p.conn !== sock) return;
      p.conn = null;
      if (connected) return;
      if (performance.now() - started < AT_ONCE_MS) this.note(`[recorder] peer ${name} connect failed: ${errnoText(e)}`);
      else this.peerNote(p, `connect failed: ${errnoText(e)}`);
    });
    // Until the connect completes, writes wait in Node's buffer, as bytes
    // written to a socket whose connect is pending would.
    this.serve(p, sock);
  }

  send(name: string, bytes: Uint8Array, framed: boolean): void {
    const p = this.peer(name);
    if (!p.conn || p.conn.destroyed) {
      this.peerNote(p, 'has no connection; nothing sent');
      return;
    }
    p.conn.write(framed ? encodeFrame(bytes) : bytes);
  }

  close(name: string): void {
    const p = this.peer(name);
    p.conn?.destroy();
    p.conn = null;
    for (const q of p.queue) q.destroy();
    p.queue = [];
    if (p.server) {
      p.server.close();
      if (p.serverPath) {
        try {
          unlinkSync(p.serverPath);
        } catch {
          // Already gone.
        }
      }
    }
    p.server = null;
    p.serverPath = null;
  }

  closeAll(): void {
    for (const name of this.peers.keys()) this.close(name);
  }
}

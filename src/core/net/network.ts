/**
 * The simulated kernel: a filesystem for unix socket paths, the abstract
 * namespace, inet port bindings on a loopback-only machine, listening
 * sockets with a Linux-style accept queue, and connected byte streams.
 *
 * It performs system calls and tells the owner of a socket what became
 * ready through `notify`; it never decides anything for QEMU or a peer.
 * Its state is plain data (kernel-state.ts).
 */
import { isLocalIp, isWildcard, kernelAddressKey, type KernelAddress } from './address.ts';
import { unmapIPv6 } from './ip.ts';
import { absolutePath, isDirectory, pathLookupError } from './filesystem.ts';
import { inetPortTaken, pickEphemeralPort, sourceAddressFor } from './inet-ports.ts';
import { VSOCK_LOCAL_CID, vsockBindError, vsockConnectOutcome } from './vsock.ts';
import {
  cloneNetwork,
  type Connection,
  type Endpoint,
  type Errno,
  type Listener,
  type NetworkState,
  type Notice,
  type Owner,
  type SysResult,
} from './kernel-state.ts';

export * from './kernel-state.ts';
export { absolutePath, isDirectory, SIMULATED_DIRECTORIES, WORKING_DIRECTORY } from './filesystem.ts';

const okv = <T>(value: T): SysResult<T> => ({ ok: true, value });
const err = <T>(errno: Errno): SysResult<T> => ({ ok: false, errno });

/**
 * The kernel. Methods mutate `state` and queue notices for the engine,
 * which turns them into scheduled work for the sockets' owners.
 */
/**
 * When a TCP connect whose SYN was dropped sends it again, counted from the
 * connect, as measured with real QEMU and a real client on this project's
 * machine (Linux 6.18, tcp_syn_linear_timeouts=4, tcp_syn_retries=6;
 * content/conformance/RECORDED-HERE.md, 61): every second up to 5 s, then
 * with the timeout doubling (7, 11, 19 s...), and ETIMEDOUT after 134 s.
 */
export const SYN_RETRY_MS: readonly number[] = [1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000, 131000];
export const SYN_GIVE_UP_MS = 134000;

export interface ConnectOptions {
  /** O_NONBLOCK: a unix connect into a full backlog fails with EAGAIN instead of waiting. */
  nonBlocking?: boolean;
}

export class Network {
  constructor(
    private state: NetworkState,
    private readonly notify: (n: Notice) => void,
    /** The kernel's timers: call kernelTimer(connId) after `ms`. */
    private readonly later: (connId: number, ms: number) => void = () => {},
  ) {}

  private id(): number {
    return this.state.nextId++;
  }

  listener(id: number): Listener | undefined {
    return this.state.listeners.get(id);
  }

  connection(id: number): Connection | undefined {
    return this.state.connections.get(id);
  }

  /** Every listening socket, by id (for views: read, do not change). */
  get listeners(): ReadonlyMap<number, Readonly<Listener>> {
    return this.state.listeners;
  }

  /** Every connection, by id (for views: read, do not change). */
  get connections(): ReadonlyMap<number, Readonly<Connection>> {
    return this.state.connections;
  }

  /** A copy of the whole kernel state, for a checkpoint. */
  save(): NetworkState {
    return cloneNetwork(this.state);
  }

  load(saved: NetworkState): void {
    this.state = cloneNetwork(saved);
  }

  // -- filesystem -----------------------------------------------------------

  /** unlink(2) of a socket path. */
  unlink(path: string): SysResult<void> {
    const lookup = this.lookupError(path);
    if (lookup) return err(lookup);
    const abs = absolutePath(path);
    if (isDirectory(abs)) return err('EISDIR');
    if (!this.state.files.delete(abs)) return err('ENOENT');
    return okv(undefined);
  }

  /** Why `path` cannot be looked up (a socket file on the way, a missing directory, a trailing slash after a socket file). */
  private lookupError(path: string, creating = false): 'ENOENT' | 'ENOTDIR' | null {
    return pathLookupError(path, (abs) => this.state.files.has(abs), creating);
  }

  /** Whether `path` names a socket file. */
  socketFileExists(path: string): boolean {
    return this.state.files.has(absolutePath(path));
  }

  // -- binding --------------------------------------------------------------

  /** socket(AF_UNIX)+bind(2)+listen(2) in one, as both QEMU and peers do it. */
  listenUnix(owner: Owner, path: string, abstract: boolean, tight: boolean, backlog: number): SysResult<Listener> {
    const addr: KernelAddress = { family: 'unix', path, abstract, tight };
    if (abstract) {
      const key = kernelAddressKey(addr);
      if (this.state.names.has(key)) return err('EADDRINUSE');
      const l = this.addListener(owner, addr, false, backlog, null);
      this.state.names.set(key, l.id);
      return okv(l);
    }
    const lookup = this.lookupError(path, true);
    if (lookup) return err(lookup);
    const abs = absolutePath(path);
    if (isDirectory(abs) || this.state.files.has(abs)) return err('EADDRINUSE');
    const l = this.addListener(owner, addr, false, backlog, abs);
    this.state.files.set(abs, l.id);
    return okv(l);
  }

  /** bind(2) + listen(2) of an inet socket; port 0 picks an ephemeral port. */
  listenInet(
    owner: Owner,
    family: 'inet4' | 'inet6',
    ip: string,
    port: number,
    v6only: boolean,
    backlog: number,
  ): SysResult<Listener> {
    if (!isLocalIp(family, ip)) return err('EADDRNOTAVAIL');
    const chosen = port === 0 ? pickEphemeralPort(this.state) : port;
    if (inetPortTaken(this.state, family, ip, chosen, v6only)) return err('EADDRINUSE');
    const addr: KernelAddress = { family, ip, port: chosen };
    const l = this.addListener(owner, addr, v6only, backlog, null);
    this.state.names.set(kernelAddressKey(addr), l.id);
    return okv(l);
  }

  /** socket(AF_VSOCK) + bind(2) + listen(2) (see vsock.ts for what this machine allows). */
  listenVsock(owner: Owner, cid: number, port: number, backlog: number): SysResult<Listener> {
    const bad = vsockBindError(cid);
    if (bad) return err(bad);
    const addr: KernelAddress = { family: 'vsock', cid, port };
    for (const l of this.state.listeners.values()) if (l.addr.family === 'vsock' && l.addr.port === port) return err('EADDRINUSE');
    const l = this.addListener(owner, addr, false, backlog, null);
    this.state.names.set(kernelAddressKey(addr), l.id);
    return okv(l);
  }

  /**
   * A blocking connect(2) of an AF_VSOCK socket: fails at once, or is
   * under way until the vsock connect timeout (see vsock.ts).
   */
  connectVsock(owner: Owner, cid: number, port: number): SysResult<{ connId: number; blocked: boolean }> {
    const outcome = vsockConnectOutcome(cid);
    if (outcome.afterMs === 0) return err(outcome.fails);
    const remote: KernelAddress = { family: 'vsock', cid, port };
    const local: KernelAddress = { family: 'vsock', cid: VSOCK_LOCAL_CID, port: pickEphemeralPort(this.state) };
    const conn: Connection = {
      id: this.id(),
      ends: [newEndpoint(owner, local, remote), newEndpoint(null, remote, local)],
      listenerId: -1,
      state: 'blocked',
      fails: outcome.fails,
    };
    this.state.connections.set(conn.id, conn);
    this.later(conn.id, outcome.afterMs);
    return okv({ connId: conn.id, blocked: true });
  }

  private addListener(owner: Owner, addr: KernelAddress, v6only: boolean, backlog: number, fsPath: string | null): Listener {
    const l: Listener = { id: this.id(), owner, addr, v6only, backlog, listening: true, queue: [], blocked: [], fsPath };
    this.state.listeners.set(l.id, l);
    return l;
  }

  /** Closes a listening socket; a unix one's file is unlinked when asked. */
  closeListener(id: number, unlinkPath: boolean): void {
    const l = this.state.listeners.get(id);
    if (!l) return;
    this.state.listeners.delete(id);
    const key = kernelAddressKey(l.addr);
    if (this.state.names.get(key) === id) this.state.names.delete(key);
    if (unlinkPath && l.addr.family === 'unix' && !l.addr.abstract) this.unlink(l.addr.path);
    // Connections nobody accepted are reset: their connecting side sees EOF.
    for (const cid of l.queue) {
      const c = this.state.connections.get(cid);
      if (!c) continue;
      c.state = 'orphaned';
      c.ends[1].closed = true;
      this.deliverEof(c, 0);
    }
    for (const cid of l.blocked) {
      const c = this.state.connections.get(cid);
      if (!c || c.syn) continue; // A dropped SYN learns at its next try.
      this.state.connections.delete(cid);
      if (c.ends[0].owner) this.notify({ kind: 'connect-failed', owner: c.ends[0].owner, connId: cid, errno: 'ECONNREFUSED' });
    }
  }

  // -- connecting -----------------------------------------------------------

  /**
   * connect(2). Succeeds when the listener's queue has room (the connecting
   * side is established even though nobody accepted yet), blocks while the
   * queue is full, and fails at once when nothing listens.
   */
  connect(owner: Owner, target: KernelAddress, options: ConnectOptions = {}): SysResult<{ connId: number; blocked: boolean }> {
    const found = this.findListener(target);
    if (!found.ok) return err(found.errno);
    const { listener: l, remote } = found.value;
    let local: KernelAddress;
    let serverLocal: KernelAddress = remote;
    let clientSeenByServer: KernelAddress;
    if (target.family === 'vsock' || remote.family === 'vsock') {
      return err('ECONNREFUSED'); // findListener() never finds a vsock listener (see vsock.ts).
    } else if (target.family === 'unix' || remote.family === 'unix') {
      // A unix target is reached at a unix address, an inet one at an inet address.
      local = { family: 'unix', path: '', abstract: false, tight: false, unnamed: true };
      clientSeenByServer = local;
      serverLocal = l.addr;
    } else {
      const sourceIp = sourceAddressFor(target.family, remote.ip);
      const port = pickEphemeralPort(this.state);
      local = { family: target.family, ip: sourceIp, port };
      clientSeenByServer = local;
      const remoteIp = remote.ip;
      const remotePort = remote.port;
      if (l.addr.family === 'inet6' && target.family === 'inet4') {
        // A dual-stack IPv6 listener sees IPv4 clients as ::ffff:a.b.c.d.
        clientSeenByServer = { family: 'inet6', ip: `::ffff:${sourceIp}`, port };
        serverLocal = { family: 'inet6', ip: `::ffff:${remoteIp}`, port: remotePort };
      } else if (l.addr.family === 'inet4' && target.family === 'inet6') {
        // An IPv4-mapped destination reaches an IPv4 listener as plain IPv4.
        clientSeenByServer = { family: 'inet4', ip: sourceIp.replace('::ffff:', ''), port };
        serverLocal = { family: 'inet4', ip: remoteIp.replace('::ffff:', ''), port: remotePort };
      }
    }
    // Linux's accept queue holds backlog + 1 (sk_acceptq_is_full(), unix_recvq_full()).
    const full = l.queue.length > l.backlog;
    // unix_stream_connect(): a full queue gives EAGAIN without blocking.
    if (full && target.family === 'unix' && options.nonBlocking) return err('EAGAIN');
    const conn: Connection = {
      id: this.id(),
      ends: [newEndpoint(owner, local, remote), newEndpoint(null, serverLocal, clientSeenByServer)],
      listenerId: l.id,
      state: 'queued',
    };
    this.state.connections.set(conn.id, conn);
    if (full) {
      // unix: a blocking connect sleeps until accept() makes room.
      // TCP: the listener drops the SYN; the client sends it again later.
      conn.state = 'blocked';
      l.blocked.push(conn.id);
      if (target.family !== 'unix') {
        conn.syn = { target, retries: 0 };
        this.later(conn.id, SYN_RETRY_MS[0]!);
      }
      return okv({ connId: conn.id, blocked: true });
    }
    l.queue.push(conn.id);
    this.notify({ kind: 'acceptable', owner: l.owner, listenerId: l.id });
    return okv({ connId: conn.id, blocked: false });
  }

  private findListener(target: KernelAddress): SysResult<{ listener: Listener; remote: KernelAddress }> {
    if (target.family === 'unix') {
      if (target.abstract) {
        const id = this.state.names.get(kernelAddressKey(target));
        const l = id === undefined ? undefined : this.state.listeners.get(id);
        if (!l) return err('ECONNREFUSED');
        return okv({ listener: l, remote: l.addr });
      }
      if (target.path === '') return err('ECONNREFUSED');
      const lookup = this.lookupError(target.path);
      if (lookup) return err(lookup);
      const abs = absolutePath(target.path);
      if (isDirectory(abs)) return err('ECONNREFUSED');
      const id = this.state.files.get(abs);
      if (id === undefined) return err('ENOENT');
      const l = this.state.listeners.get(id);
      if (!l) return err('ECONNREFUSED');
      return okv({ listener: l, remote: l.addr });
    }
    if (target.family === 'vsock') return err('ECONNREFUSED');
    if (!isLocalIp(target.family, target.ip)) return err('ENETUNREACH');
    // connect() to a wildcard address reaches the loopback address.
    const ip = isWildcard(target.ip) ? (target.family === 'inet4' ? '127.0.0.1' : '::1') : target.ip;
    const mapped = target.family === 'inet6' && unmapIPv6(ip) !== null;
    const candidates: Listener[] = [];
    for (const l of this.state.listeners.values()) {
      const a = l.addr;
      if (a.family === 'unix' || a.family === 'vsock' || a.port !== target.port || !l.listening) continue;
      // An IPV6_V6ONLY socket never takes an IPv4 connection, v4-mapped or not.
      if (a.family === target.family && (a.ip === ip || isWildcard(a.ip))) {
        if (!(l.v6only && mapped)) candidates.push(l);
      }
      else if (a.family === 'inet6' && target.family === 'inet4' && !l.v6only && a.ip === '::') candidates.push(l);
      else if (a.family === 'inet4' && target.family === 'inet6' && ip === `::ffff:${a.ip}`) candidates.push(l);
      else if (a.family === 'inet4' && target.family === 'inet6' && ip.startsWith('::ffff:') && a.ip === '0.0.0.0') candidates.push(l);
    }
    // The most specific binding wins.
    const wildcard = (x: Listener) => Number((x.addr.family === 'inet4' || x.addr.family === 'inet6') && isWildcard(x.addr.ip));
    candidates.sort((x, y) => wildcard(x) - wildcard(y));
    const l = candidates[0];
    if (!l) return err('ECONNREFUSED');
    return okv({ listener: l, remote: { family: target.family, ip, port: target.port } });
  }

  /** accept(2): the oldest queued connection, now owned by `owner`. */
  accept(listenerId: number, owner: Owner): Connection | null {
    const l = this.state.listeners.get(listenerId);
    if (!l) return null;
    const cid = l.queue.shift();
    if (cid === undefined) return null;
    const c = this.state.connections.get(cid)!;
    c.state = 'accepted';
    c.ends[1].owner = owner;
    // Room in the queue lets one blocked unix connect complete (a dropped
    // TCP SYN waits for its next try).
    const next = l.addr.family === 'unix' ? l.blocked.shift() : undefined;
    if (next !== undefined) {
      const b = this.state.connections.get(next);
      if (b) {
        b.state = 'queued';
        l.queue.push(next);
        if (b.ends[0].owner) this.notify({ kind: 'connect-completed', owner: b.ends[0].owner, connId: next });
      }
    }
    if (l.queue.length > 0) this.notify({ kind: 'acceptable', owner: l.owner, listenerId: l.id });
    if (c.ends[1].inboxBytes > 0 || c.ends[1].eof) this.notify({ kind: 'readable', owner, connId: c.id, side: 1 });
    return c;
  }

  /**
   * A kernel timer ran out: a dropped SYN is sent again (it completes if the
   * queue has room, else waits or gives up), or a connect that was bound to
   * fail fails.
   */
  kernelTimer(connId: number): void {
    const c = this.state.connections.get(connId);
    if (!c || c.state !== 'blocked') return;
    const owner = c.ends[0].owner;
    if (c.fails) {
      this.state.connections.delete(connId);
      if (owner) this.notify({ kind: 'connect-failed', owner, connId, errno: c.fails });
      return;
    }
    if (!c.syn) return;
    const old = this.state.listeners.get(c.listenerId);
    if (old) old.blocked = old.blocked.filter((x) => x !== connId);
    const found = this.findListener(c.syn.target);
    const fail = (errno: Errno) => {
      this.state.connections.delete(connId);
      if (owner) this.notify({ kind: 'connect-failed', owner, connId, errno });
    };
    // The last timeout ran out.
    if (c.syn.retries >= SYN_RETRY_MS.length) return fail('ETIMEDOUT');
    // Nothing listens any more: the SYN meets a reset.
    if (!found.ok) return fail('ECONNREFUSED');
    const l = found.value.listener;
    c.listenerId = l.id;
    if (l.queue.length <= l.backlog) {
      c.state = 'queued';
      delete c.syn;
      l.queue.push(connId);
      if (owner) this.notify({ kind: 'connect-completed', owner, connId });
      this.notify({ kind: 'acceptable', owner: l.owner, listenerId: l.id });
      return;
    }
    l.blocked.push(connId);
    const tries = ++c.syn.retries;
    const next = tries < SYN_RETRY_MS.length ? SYN_RETRY_MS[tries]! : SYN_GIVE_UP_MS;
    this.later(connId, next - SYN_RETRY_MS[tries - 1]!);
  }

  // -- data -----------------------------------------------------------------

  /** write(2) of the whole buffer (socket buffers are never full here). */
  write(connId: number, side: 0 | 1, bytes: Uint8Array): SysResult<number> {
    const c = this.state.connections.get(connId);
    if (!c) return err('EPIPE');
    const me = c.ends[side];
    const other = c.ends[side === 0 ? 1 : 0];
    if (me.closed || other.closed || c.state === 'orphaned') return err('EPIPE');
    if (bytes.length === 0) return okv(0);
    other.inbox.push(bytes);
    other.inboxBytes += bytes.length;
    me.bytesOut += bytes.length;
    if (other.owner) this.notify({ kind: 'readable', owner: other.owner, connId, side: side === 0 ? 1 : 0 });
    return okv(bytes.length);
  }

  /** read(2) of at most `max` bytes; null when there is nothing yet, an empty array at EOF. */
  read(connId: number, side: 0 | 1, max: number): Uint8Array | null {
    const c = this.state.connections.get(connId);
    if (!c) return new Uint8Array(0);
    const me = c.ends[side];
    if (me.inboxBytes === 0) return me.eof ? new Uint8Array(0) : null;
    const n = Math.min(max, me.inboxBytes);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = me.inbox[0]!;
      const take = Math.min(chunk.length, n - filled);
      out.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
      filled += take;
      if (take === chunk.length) me.inbox.shift();
      else me.inbox[0] = chunk.subarray(take);
    }
    me.inboxBytes -= n;
    me.bytesIn += n;
    return out;
  }

  /** Whether a read would return data or EOF. */
  readable(connId: number, side: 0 | 1): boolean {
    const c = this.state.connections.get(connId);
    if (!c) return true;
    const me = c.ends[side];
    return me.inboxBytes > 0 || me.eof;
  }

  /** close(2) of one side: the other side sees end-of-file after its data. */
  close(connId: number, side: 0 | 1): void {
    const c = this.state.connections.get(connId);
    if (!c) return;
    const me = c.ends[side];
    if (me.closed) return;
    me.closed = true;
    me.inbox = [];
    me.inboxBytes = 0;
    const otherSide = side === 0 ? 1 : 0;
    if (c.state === 'blocked' && side === 0) {
      // A connect that never completed simply goes away.
      const l = this.state.listeners.get(c.listenerId);
      if (l) l.blocked = l.blocked.filter((x) => x !== connId);
      this.state.connections.delete(connId);
      return;
    }
    this.deliverEof(c, otherSide);
    if (c.ends[0].closed && c.ends[1].closed) this.state.connections.delete(connId);
  }

  private deliverEof(c: Connection, side: 0 | 1): void {
    const e = c.ends[side];
    if (e.closed || e.eof) {
      if (e.closed && c.ends[side === 0 ? 1 : 0].closed) this.state.connections.delete(c.id);
      return;
    }
    e.eof = true;
    if (e.owner) this.notify({ kind: 'readable', owner: e.owner, connId: c.id, side });
  }
}

function newEndpoint(owner: Owner | null, local: KernelAddress, remote: KernelAddress): Endpoint {
  return { owner, local, remote, inbox: [], inboxBytes: 0, eof: false, closed: false, bytesIn: 0, bytesOut: 0 };
}

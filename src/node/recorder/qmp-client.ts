/**
 * A QMP client on a real socket that writes down every message in the
 * order it crossed the socket, as transcript lines (`->` sent, `<-`
 * received). Messages are kept as QEMU wrote them (member order, `\r\n`
 * inside strings, timestamps).
 */
import net from 'node:net';
import type { TranscriptLine } from '../../core/transcript/format.ts';

export class QmpClient {
  readonly lines: TranscriptLine[] = [];
  /** Set when the socket closed (QEMU went away). */
  closed = false;
  /** Messages that were not JSON (kept out of the transcript). */
  readonly garbage: string[] = [];
  /** Stop writing lines down (the recorder's own final quit). */
  frozen = false;
  private buffered = '';
  private listeners: ((msg: unknown) => void)[] = [];
  private closeWaiters: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.feed(text));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters.splice(0)) w();
    });
  }

  /** One connect attempt; null when nothing accepts at `path` (yet). */
  static connect(path: string): Promise<QmpClient | null> {
    return new Promise((resolve) => {
      const s = net.connect({ path });
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve(new QmpClient(s));
      });
      s.once('error', () => {
        s.destroy();
        resolve(null);
      });
    });
  }

  private feed(text: string): void {
    this.buffered += text;
    let i;
    while ((i = this.buffered.indexOf('\n')) >= 0) {
      const row = this.buffered.slice(0, i).trim();
      this.buffered = this.buffered.slice(i + 1);
      if (row === '') continue;
      let msg: unknown;
      try {
        msg = JSON.parse(row) as unknown;
      } catch {
        this.garbage.push(row);
        continue;
      }
      if (!this.frozen) this.lines.push({ dir: '<-', msg });
      for (const l of [...this.listeners]) l(msg);
    }
  }

  /** Waits for the first message that `pick` accepts, the socket closing, or the time running out. */
  next(pick: (msg: unknown) => boolean, timeoutMs: number): Promise<unknown | 'closed' | 'timeout'> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (v: unknown) => {
        if (timer) clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        this.closeWaiters = this.closeWaiters.filter((w) => w !== onClose);
        resolve(v);
      };
      const listener = (msg: unknown) => {
        if (pick(msg)) done(msg);
      };
      const onClose = () => done('closed');
      if (this.closed) {
        resolve('closed');
        return;
      }
      this.listeners.push(listener);
      this.closeWaiters.push(onClose);
      timer = setTimeout(() => done('timeout'), timeoutMs);
    });
  }

  /** Sends one message and writes it down. */
  send(msg: unknown): void {
    if (!this.frozen) this.lines.push({ dir: '->', msg });
    this.socket.write(`${JSON.stringify(msg)}\n`);
  }

  /** Resolves when the socket has closed, or after `timeoutMs`. */
  waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A reply (not an event, not the greeting). */
export function isReply(msg: unknown): boolean {
  return msg !== null && typeof msg === 'object' && ('return' in msg || 'error' in msg);
}

export function isGreeting(msg: unknown): msg is { QMP: { version: { qemu: { major: number; minor: number; micro: number }; package?: string } } } {
  return msg !== null && typeof msg === 'object' && 'QMP' in msg;
}

export function isEvent(msg: unknown, name?: string): boolean {
  return msg !== null && typeof msg === 'object' && 'event' in msg && (name === undefined || msg.event === name);
}

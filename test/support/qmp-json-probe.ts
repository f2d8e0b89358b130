/**
 * Plays the JSON table (qmp-json-table.ts) against a QMP unix socket: one
 * fresh connection per case, the greeting and qmp_capabilities first, then
 * the case's bytes; collects the lines that come back until the expected
 * number has arrived, plus a short grace for any extra line.
 */
import net from 'node:net';
import { expectedLines, inputBytes, type JsonCase } from './qmp-json-table.ts';

function lines(sock: net.Socket) {
  const got: string[] = [];
  let buf = '';
  let closed = false;
  sock.setEncoding('latin1');
  sock.on('data', (t: string) => {
    buf += t;
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      got.push(buf.slice(0, i));
      buf = buf.slice(i + 2);
    }
  });
  sock.on('close', () => (closed = true));
  const waitCount = async (n: number, ms: number) => {
    const t0 = Date.now();
    while (got.length < n && !closed && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 5));
  };
  return { got, waitCount };
}

export async function probeCase(path: string, c: JsonCase): Promise<string[]> {
  const sock = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(path, () => resolve(s));
    s.once('error', reject);
  });
  try {
    const l = lines(sock);
    await l.waitCount(1, 5000);
    sock.write('{"execute":"qmp_capabilities"}\n');
    await l.waitCount(2, 5000);
    const before = l.got.length;
    sock.write(inputBytes(c.input));
    const want = expectedLines(c.qemu72).length;
    await l.waitCount(before + want, 10_000);
    await new Promise((r) => setTimeout(r, 40));
    return l.got.slice(before);
  } finally {
    sock.destroy();
  }
}

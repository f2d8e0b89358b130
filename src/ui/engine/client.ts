/// <reference types="vite/client" />
/**
 * The page's handle on the engine worker. The worker (and with it the
 * engine, the QAPI schema and the link codec) is fetched the first time
 * something needs it. A request that runs too long stops the worker, so a
 * runaway scenario cannot freeze the page; the next request starts a new one.
 */
import EngineWorker from './engine.worker.ts?worker';
import type { EngineOps, OpName, Request, Response } from './protocol.ts';

export const RUN_TIMEOUT_MS = 15_000;

type Async<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : never };

export type EngineClient = Async<EngineOps>;

export class EngineTimeout extends Error {}

let worker: Worker | null = null;
let next = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function start(): Worker {
  if (worker) return worker;
  const w = new EngineWorker();
  w.onmessage = (e: MessageEvent<Response>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if (e.data.ok) p.resolve(e.data.value);
    else p.reject(new Error(e.data.error));
  };
  w.onerror = (e) => {
    e.preventDefault();
    stop(new Error(`The simulator's engine stopped: ${e.message || 'unknown error'}`));
  };
  worker = w;
  return w;
}

function stop(reason: Error): void {
  worker?.terminate();
  worker = null;
  for (const p of pending.values()) p.reject(reason);
  pending.clear();
}

function call(op: OpName, args: unknown[], timeout = RUN_TIMEOUT_MS): Promise<unknown> {
  const w = start();
  const id = next++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (!pending.has(id)) return;
      stop(new EngineTimeout(`The simulation took longer than ${timeout / 1000} seconds and was stopped; the scenario may wait too long or reconnect too often.`));
    }, timeout);
    pending.set(id, {
      resolve: (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      reject: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    });
    w.postMessage({ id, op, args } satisfies Request);
  });
}

export const engine: EngineClient = {
  run: (scenario, release) => call('run', [scenario, release]) as ReturnType<EngineClient['run']>,
  check: (value) => call('check', [value]) as ReturnType<EngineClient['check']>,
  encode: (scenario, release, step) => call('encode', [scenario, release, step]) as ReturnType<EngineClient['encode']>,
  decode: (hash) => call('decode', [hash]) as ReturnType<EngineClient['decode']>,
  commands: (release) => call('commands', [release]) as ReturnType<EngineClient['commands']>,
  editorSchema: (release, addresses) => call('editorSchema', [release, addresses]) as ReturnType<EngineClient['editorSchema']>,
};

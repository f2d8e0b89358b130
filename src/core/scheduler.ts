/**
 * The simulated clock and the work queue: tasks are plain data ordered by
 * (time, priority, sequence), what QEMU's main loop, its worker threads and
 * the peers would do next. Tasks due at the same instant run by priority
 * (lower first; `priority` gives each task's), then in the order they were
 * queued.
 */
import { TaskHeap } from './util/heap.ts';

/** A queued piece of work: when it is due, its place in the queue, what it is. */
export interface Queued<T> {
  at: number;
  prio: number;
  seq: number;
  task: T;
}

export interface ClockState<T> {
  now: number;
  seq: number;
  queue: TaskHeap<Queued<T>>;
}

export class Scheduler<T> {
  private s: ClockState<T> = { now: 0, seq: 0, queue: new TaskHeap<Queued<T>>() };

  /** `run` carries out a task when it is due; `now` is its time then. */
  constructor(
    private readonly run: (task: T, at: number) => void,
    private readonly priority: (task: T) => number = () => 0,
  ) {}

  /** Simulated time in ms. */
  get now(): number {
    return this.s.now;
  }

  schedule(task: T, delay = 0): void {
    this.s.queue.push({ at: this.s.now + delay, prio: this.priority(task), seq: this.s.seq++, task });
  }

  /** Runs every task due before `t`, then sets the clock to `t`. */
  runUntil(t: number): void {
    for (;;) {
      const next = this.s.queue.peek();
      if (!next || next.at >= t) break;
      this.s.queue.pop();
      if (next.at > this.s.now) this.s.now = next.at;
      this.run(next.task, next.at);
    }
    if (t > this.s.now) this.s.now = t;
  }

  /** Runs tasks due at or before `t` (start-up work at t = 0). */
  runThrough(t: number): void {
    this.runUntil(t + 1e-9);
    this.s.now = t;
  }

  /** When the next queued task is due, if any. */
  nextTaskAt(): number | null {
    return this.s.queue.peek()?.at ?? null;
  }

  /** Drops every queued task (the process that queued them is gone). */
  clear(): void {
    this.s.queue = new TaskHeap<Queued<T>>();
  }

  save(): ClockState<T> {
    return { now: this.s.now, seq: this.s.seq, queue: this.s.queue.clone() };
  }

  load(saved: ClockState<T>): void {
    this.s = { now: saved.now, seq: saved.seq, queue: saved.queue.clone() };
  }
}

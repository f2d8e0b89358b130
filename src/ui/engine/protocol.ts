/** Messages between the page and the engine worker (src/ui/engine/ops.ts). */
import type { DecodedLink } from '../../share/link.ts';
import type { Scenario, ScenarioIssue } from '../../core/scenario/schema.ts';
import type { Trace } from '../trace/types.ts';

/** What running a scenario gave: a trace, or why there is none. */
export type RunResult =
  | { kind: 'ok'; scenario: Scenario; trace: Trace }
  | { kind: 'invalid'; issues: ScenarioIssue[] }
  | { kind: 'limitation'; path: string; message: string }
  | { kind: 'failed'; message: string };

export type EncodeResult = { ok: true; fragment: string } | { ok: false; message: string };

export interface CommandArg {
  name: string;
  type: string;
  optional: boolean;
}

/** A QMP command the release has, for the console's completion. */
export interface CommandInfo {
  name: string;
  summary: string;
  args: CommandArg[];
}

export interface EngineOps {
  run(scenario: unknown, release: string | null): RunResult;
  check(value: unknown): ScenarioIssue[];
  encode(scenario: Scenario, release: string, step: number): Promise<EncodeResult>;
  decode(hash: string): Promise<DecodedLink | null>;
  commands(release: string): CommandInfo[];
  editorSchema(release: string, addresses: unknown[]): Record<string, unknown>;
}

export type OpName = keyof EngineOps;

export interface Request {
  id: number;
  op: OpName;
  args: unknown[];
}

export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

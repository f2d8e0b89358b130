/**
 * The monitor's argument checks as a visitor of our QAPI schema
 * (content/qapi, checked and compiled by `npm run gen` to
 * src/qapi/generated/qapi-schema.json):
 * QEMU's input visitor semantics, with the schema's `if` conditions
 * evaluated for the modelled release.
 */
import { lookup } from '../../qapi/query.ts';
import { parseKeyval, toDottedOptions } from '../../qapi/keyval.ts';
import { schemaFromJson } from '../../qapi/schema-json.ts';
import { visitCommandArguments, visitInput, type VisitOptions } from '../../qapi/input-visitor.ts';
import type { Schema } from '../../qapi/ir.ts';
import { releaseHasSymbol, type Release } from '../releases.ts';
import { isRecord } from '../util/record.ts';
import type { ArgumentChecker } from './arguments.ts';
import generated from '../../qapi/generated/qapi-schema.json' with { type: 'json' };
import type { Checked } from './types.ts';

function loadGenerated(): Schema {
  const r = schemaFromJson(generated);
  if (!r.ok) throw new Error(`src/qapi/generated/qapi-schema.json: ${r.error}; run npm run gen`);
  return r.schema;
}

export const QAPI_SCHEMA: Schema = loadGenerated();

/** The visitor options for a release: its conditions and its member types. */
export function visitOptionsFor(release: Release, keyval = false): VisitOptions {
  return {
    cond: (symbol: string) => releaseHasSymbol(release, symbol),
    keyval,
    // 8.0 to 9.1 declared reconnect as uint32; the schema keeps the later int.
    typeOverrides: release.reconnect === 'uint32' ? { 'NetdevStreamOptions.reconnect': 'uint32' } : {},
  };
}

export function makeSchemaChecker(schema: Schema): ArgumentChecker {
  return {
    command(release, command, args): Checked<Record<string, unknown>> {
      const def = lookup(schema, command);
      if (!def || def.meta !== 'command') return { ok: false, error: `The command ${command} has not been found` };
      const r = visitCommandArguments(schema, command, args, visitOptionsFor(release));
      return r.ok ? { ok: true, value: isRecord(r.value) ? r.value : {} } : r;
    },
    commandLineNetdev(release, optarg): Checked<Record<string, unknown>> {
      const kv = parseKeyval(optarg, 'type');
      if (!kv.ok) return kv;
      const r = visitInput(schema, 'Netdev', kv.value, visitOptionsFor(release, true));
      return r.ok ? { ok: true, value: isRecord(r.value) ? r.value : {} } : r;
    },
    dottedOptions: (netdev) => toDottedOptions(netdev),
  };
}

export const schemaChecker: ArgumentChecker = makeSchemaChecker(QAPI_SCHEMA);

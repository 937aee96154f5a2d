// A canonical JSON text (object keys sorted, no whitespace) and its SHA-256, so the same item
// re-sent with its keys in another order still counts as the same payload.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ConsentRecord } from '../sync/wire/schemas.js';
import { jsonSchema } from './json-schema.js';

export function canonicalJson(value: unknown): string {
  return write(value, undefined);
}

export function canonicalHash(value: unknown): string {
  return sha256(canonicalJson(value));
}

/**
 * canonicalHash for values that passed `schema`'s check, with each object's keys sorted once, when
 * the schema is read, instead of for every object of every item: the hot path's hash cost about a
 * quarter of what canonicalHash does. The text is canonicalJson's exactly (canonical.test.ts); an
 * object holding a key the schema does not name is written with its own keys sorted.
 */
export function canonicalHasher(schema: z.ZodType): (value: unknown) => string {
  const text = canonicalWriter(schema);
  return (value) => sha256(text(value));
}

/** canonicalJson for values that passed `schema`'s check, the same way (RFC 8785's text on JSON values: canonical.test.ts). */
export function canonicalWriter(schema: z.ZodType): (value: unknown) => string {
  let shape: Shape | undefined;
  return (value) => {
    shape ??= shapeOf([jsonSchema(schema, 'input')]);
    return write(value, shape);
  };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Where a value sits in a schema: its object's keys in sorted order, or its array's items. */
interface Shape {
  keys?: ReadonlyArray<{ key: string; quoted: string; shape: Shape | undefined }>;
  items?: Shape | undefined;
}

type JsonSchema = { [k: string]: unknown };

/** One shape for every schema that may describe the same value (the branches of a union merged). */
function shapeOf(schemas: readonly JsonSchema[]): Shape | undefined {
  const properties = new Map<string, JsonSchema[]>();
  const items: JsonSchema[] = [];
  const visit = (s: JsonSchema): void => {
    for (const branch of ['oneOf', 'anyOf', 'allOf'] as const) for (const b of (s[branch] as JsonSchema[] | undefined) ?? []) visit(b);
    for (const [k, v] of Object.entries((s.properties as Record<string, JsonSchema> | undefined) ?? {}))
      properties.set(k, [...(properties.get(k) ?? []), v]);
    if (s.items && typeof s.items === 'object') items.push(s.items as JsonSchema);
  };
  schemas.forEach(visit);
  if (properties.size === 0 && items.length === 0) return undefined;
  return {
    ...(properties.size > 0
      ? { keys: [...properties.keys()].sort().map((key) => ({ key, quoted: JSON.stringify(key), shape: shapeOf(properties.get(key)!) })) }
      : {}),
    ...(items.length > 0 ? { items: shapeOf(items) } : {}),
  };
}

// Written as loops, without intermediate arrays: every item of every batch is hashed, and the
// map/filter/sort-of-entries form cost about a third more (measured, 2 busy cores).
/**
 * A part already written canonically (a consent record, whose text its signature check needs
 * anyway), put into a larger value's text as it is instead of being written again.
 */
export class Written {
  constructor(readonly text: string) {}
}

function write(value: unknown, shape: Shape | undefined): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Written) return value.text;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + write(value[i], shape?.items);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  if (shape?.keys) {
    // The schema's keys, already sorted; kept only if they are all the object has.
    let out = '{';
    let written = 0;
    for (const { key, quoted, shape: inner } of shape.keys) {
      const v = record[key];
      if (v === undefined || !Object.hasOwn(record, key)) continue;
      written++;
      out += `${out.length > 1 ? ',' : ''}${quoted}:${write(v, inner)}`;
    }
    if (written === definedKeys(record)) return `${out}}`;
  }
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${write(v, undefined)}`;
  }
  return `${out}}`;
}

function definedKeys(record: Record<string, unknown>): number {
  let n = 0;
  for (const key in record) if (record[key] !== undefined) n++;
  return n;
}

/** A consent record that passed the wire schema, in RFC 8785 form: its signature check and its item's hash both use it. */
export const recordJson = canonicalWriter(ConsentRecord);

// A canonical JSON text (object keys sorted, no whitespace) and its SHA-256, so the same item
// re-sent with its keys in another order still counts as the same payload.
import { createHash } from 'node:crypto';
import { z } from 'zod';

// Written as loops over sorted keys, without intermediate arrays: every item of every batch is hashed,
// and the map/filter/sort-of-entries form cost about a third more (measured, 2 busy cores).
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

export function canonicalHash(value: unknown): string {
  return sha256(canonicalJson(value));
}

/** Where a value sits in a schema: its object's keys in sorted order, or its array's items. */
interface Shape {
  keys?: ReadonlyArray<{ key: string; quoted: string; shape: Shape | undefined }>;
  items?: Shape | undefined;
}

type JsonSchema = { [k: string]: unknown };

/**
 * canonicalHash for values that passed `schema`'s check, with each object's keys sorted once, when
 * the schema is read, instead of for every object of every item: the hot path's hash cost about a
 * quarter of what canonicalHash does. The text is canonicalJson's exactly (canonical.test.ts); an
 * object holding a key the schema does not name is written by canonicalJson.
 */
export function canonicalHasher(schema: z.ZodType): (value: unknown) => string {
  let shape: Shape | undefined;
  return (value) => {
    shape ??= shapeOf([z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonSchema]);
    return sha256(write(value, shape));
  };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

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

function write(value: unknown, shape: Shape | undefined): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + write(value[i], shape?.items);
    return `${out}]`;
  }
  const keys = shape?.keys;
  if (!keys) return canonicalJson(value);
  const record = value as Record<string, unknown>;
  let out = '{';
  let written = 0;
  for (const { key, quoted, shape: inner } of keys) {
    const v = record[key];
    if (v === undefined || !Object.hasOwn(record, key)) continue;
    written++;
    out += `${out.length > 1 ? ',' : ''}${quoted}:${write(v, inner)}`;
  }
  return written === definedKeys(record) ? `${out}}` : canonicalJson(value);
}

function definedKeys(record: Record<string, unknown>): number {
  let n = 0;
  for (const key in record) if (record[key] !== undefined) n++;
  return n;
}

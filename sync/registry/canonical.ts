// A canonical JSON text (object keys sorted, no whitespace) and its SHA-256, so the same item
// re-sent with its keys in another order still counts as the same payload.
import { createHash } from 'node:crypto';

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
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

// A wire schema compiled once to a plain JavaScript check, for hot paths (the store's commit): ajv
// runs the JSON Schema zod derives from the same schema, so there is no second schema to drift.
// Zod keeps the last word: ajv only answers "valid" early; anything ajv rejects is parsed by zod, so
// the error text is zod's and a value the two ever judged differently would still get zod's verdict
// (compiled.test.ts holds them to the same verdict).
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

export type CheckResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: z.ZodError };

/**
 * The JSON Schema must be the same read as input and as output: the compiled check returns its
 * input unchanged, which is only zod's parsed value when the schema has no transforms or defaults.
 */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const input = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  const output = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' });
  if (JSON.stringify(input) !== JSON.stringify(output)) throw new Error('compiledValidator: the schema transforms its input');
  return input;
}

// `format` is not checked: zod emits each format's exact runtime regex as `pattern`, while ajv-formats
// has its own (different) email, uuid and date-time rules. Patterns run without the `u` flag, as zod's
// do; both count lengths in code points.
const ajv = new Ajv2020({ allErrors: false, validateFormats: false, unicodeRegExp: false, strict: true });

/** The raw JSON Schema check, compiled now; exported so a test can hold its verdicts to zod's. */
export function compileJsonSchemaCheck(schema: z.ZodType): (value: unknown) => boolean {
  return ajv.compile(jsonSchemaOf(schema));
}

/** Compiles on first use, so importing a module that holds a check costs nothing. */
export function compiledValidator<T>(schema: z.ZodType<T>): (value: unknown) => CheckResult<T> {
  let check: ((value: unknown) => boolean) | undefined;
  return (value) => {
    check ??= compileJsonSchemaCheck(schema);
    if (check(value)) return { ok: true, value: value as T };
    const parsed = schema.safeParse(value);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error };
  };
}

// Fastify validates and serialises with JSON Schema (compiled once per route by ajv and
// fast-json-stringify); the zod wire schemas are the source, converted here so the two never drift.
import { z } from 'zod';
import { ErrorResponse } from '../sync/wire/registry-api.js';

export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' });
  return rest;
}

const error = jsonSchema(ErrorResponse, 'output');

/** The error answers every authenticated route can give. */
export const errorResponses = { 400: error, 401: error, 403: error, 404: error, 409: error, 413: error, 429: error, 500: error } as const;

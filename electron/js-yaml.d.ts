// js-yaml ships no types and @types/js-yaml is not installed: the two names update-verify.ts uses.
declare module 'js-yaml' {
  export const CORE_SCHEMA: unknown;
  export function load(text: string, options?: { schema?: unknown }): unknown;
}

/**
 * Zod -> JSON Schema 2020-12 for OpenAPI 3.1 components.
 *
 * Invariants:
 * - REFS_RESOLVE: every `$ref` in the output points into `#/components/schemas/...`; local
 *   `$defs` (schemas with a `.meta({ id })`, recursive schemas) are hoisted into components.
 * - Schemas zod cannot express in JSON Schema (dates, transforms) become `{}` rather than throwing.
 */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** A growing `components.schemas`, shared by every schema converted into it. */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly byZod = new Map<z.ZodType, Map<'input' | 'output', string>>();

  /** Adds `schema` as component `name` (or returns the name it already has) and returns a `$ref`. */
  ref(schema: z.ZodType, name: string, io: 'input' | 'output'): JsonSchema {
    const known = this.byZod.get(schema)?.get(io);
    if (known !== undefined) return { $ref: `#/components/schemas/${known}` };
    const finalName = this.put(name, {});
    this.schemas[finalName] = this.convert(schema, io, finalName);
    const names = this.byZod.get(schema) ?? new Map();
    names.set(io, finalName);
    this.byZod.set(schema, names);
    return { $ref: `#/components/schemas/${finalName}` };
  }

  /** Converts without naming: the caller inlines the result (it may contain component refs). */
  convert(schema: z.ZodType, io: 'input' | 'output', selfName?: string): JsonSchema {
    const json = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as JsonSchema;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    const renamed = new Map<string, string>();
    for (const [defName, def] of Object.entries(defs)) renamed.set(defName, this.put(defName, def, true));
    return rewriteRefs(json, renamed, selfName) as JsonSchema;
  }

  /** Stores a schema under `name`, or a suffixed name when a different schema has it. */
  private put(name: string, schema: JsonSchema, reuseEqual = false): string {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? safe : `${safe}${i}`;
      const existing = this.schemas[candidate];
      if (existing === undefined) {
        this.schemas[candidate] = schema;
        return candidate;
      }
      if (reuseEqual && JSON.stringify(existing) === JSON.stringify(schema)) return candidate;
    }
  }
}

function rewriteRefs(value: unknown, renamed: Map<string, string>, selfName?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, renamed, selfName));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
      const def = v.slice('#/$defs/'.length);
      out[key] = `#/components/schemas/${renamed.get(def) ?? def}`;
    } else if (key === '$ref' && v === '#') {
      // A recursive root refers to itself; inside the document that is its component.
      // Unnamed (inlined) schemas lose the self-reference and accept anything there.
      if (selfName !== undefined) out[key] = `#/components/schemas/${selfName}`;
    } else out[key] = rewriteRefs(v, renamed, selfName);
  }
  return out;
}

/** `getGreeting` -> `GetGreeting`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

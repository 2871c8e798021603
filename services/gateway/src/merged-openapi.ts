/**
 * One OpenAPI 3.1 document for every REST route the gateway serves, merged from the
 * services' operation descriptors (JSON Schemas from their heartbeats), served at
 * `/openapi.json` and rendered at `/docs`.
 *
 * Invariants:
 * - DOCUMENT_FOLLOWS_THE_CATALOG: the document is rebuilt from the catalog on every change, so
 *   it lists exactly the routes /api answers.
 * - REFS_RESOLVE: each schema's local `$defs` are hoisted into `components.schemas` under a
 *   service-prefixed name and every `$ref` is rewritten to point there.
 * - The document states each route's access: `security: []` for public operations, the
 *   bearer scheme with the operation's scope otherwise (a hint: the callee re-checks).
 * Same layout as @bosun/http's per-service document: query for GET/DELETE, JSON body otherwise,
 * path parameters taken out of the body, problem+json errors.
 */
import { pascalCase, problemResponses, problemSchema } from '@bosun/http';
import type { CatalogEntry } from './catalog.js';

type Json = Record<string, unknown>;

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Malformed request or input that fails the schema (BOSUN_BAD_REQUEST, BOSUN_VALIDATION_FAILED)',
  '401': 'No valid user token (BOSUN_UNAUTHENTICATED, BOSUN_AUTH_TOKEN_*)',
  '403': 'The user lacks the scope (BOSUN_FORBIDDEN)',
  '429': 'Rate limit reached (BOSUN_RATE_LIMITED)',
  '503': 'The service is unavailable (BOSUN_UNAVAILABLE, BOSUN_BUS_NO_RESPONDERS)',
  default: "Any other error, including the service's own codes, as RFC 9457 problem+json",
};

class Components {
  readonly schemas: Record<string, Json> = { Problem: problemSchema };

  /** Adds `schema` (its `$defs` hoisted) as `name` and returns a `$ref` to it. */
  add(name: string, schema: unknown): Json {
    return { $ref: `#/components/schemas/${this.put(name, this.hoist(name, schema))}` };
  }

  /** The schema with `$schema` dropped and `$defs` moved into components (REFS_RESOLVE). */
  hoist(prefix: string, schema: unknown): Json {
    if (typeof schema !== 'object' || schema === null) return {};
    const { $schema: _, $defs, ...rest } = schema as Json;
    const renamed = new Map<string, string>();
    for (const defName of Object.keys(($defs ?? {}) as Record<string, unknown>)) {
      renamed.set(defName, this.put(`${prefix}_${defName}`, {}));
    }
    for (const [defName, def] of Object.entries(($defs ?? {}) as Record<string, unknown>)) {
      this.schemas[renamed.get(defName)!] = rewrite(def, renamed, prefix) as Json;
    }
    return rewrite(rest, renamed, prefix) as Json;
  }

  private put(name: string, schema: Json): string {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? safe : `${safe}${i}`;
      if (this.schemas[candidate] === undefined) {
        this.schemas[candidate] = schema;
        return candidate;
      }
    }
  }
}

function rewrite(value: unknown, renamed: Map<string, string>, self: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, renamed, self));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
      const def = v.slice('#/$defs/'.length);
      out[key] = `#/components/schemas/${renamed.get(def) ?? def}`;
    } else if (key === '$ref' && v === '#') {
      out[key] = `#/components/schemas/${self}`;
    } else out[key] = rewrite(v, renamed, self);
  }
  return out;
}

function describe(entry: CatalogEntry, components: Components): Json {
  const route = entry.route!;
  const d = entry.descriptor;
  const base = `${pascalCase(entry.service)}${pascalCase(entry.operation)}`;
  const input = components.hoist(`${base}Input`, d.inputSchema);
  const props = (input.properties ?? {}) as Record<string, Json>;
  const required = new Set(Array.isArray(input.required) ? (input.required as string[]) : []);
  const parameters: Json[] = route.params.map((p) => ({
    name: p,
    in: 'path',
    required: true,
    schema: props[p] ?? { type: 'string' },
  }));
  const described: Json = { operationId: entry.field, tags: [entry.service] };
  if (d.title) described.summary = d.title;
  const access = d.public
    ? 'Public.'
    : d.scope
      ? `Needs the \`${d.scope}\` scope.`
      : 'Needs a signed-in user.';
  described.description = d.description ? `${d.description}\n\n${access}` : access;
  if (route.method === 'GET' || route.method === 'DELETE') {
    for (const [field, schema] of Object.entries(props)) {
      if (route.params.includes(field)) continue;
      parameters.push({ name: field, in: 'query', required: required.has(field), schema });
    }
  } else {
    let body: Json = input;
    if (route.params.length > 0 && input.type === 'object') {
      const kept = Object.fromEntries(Object.entries(props).filter(([k]) => !route.params.includes(k)));
      body = { ...input, properties: kept, required: [...required].filter((r) => !route.params.includes(r)) };
    }
    const bodyName = route.params.length > 0 ? `${base}Body` : `${base}Input`;
    described.requestBody = {
      required: true,
      content: { 'application/json': { schema: components.add(bodyName, body) } },
    };
  }
  if (parameters.length > 0) described.parameters = parameters;
  described.security = d.public ? [] : [{ bearerAuth: d.scope ? [d.scope] : [] }];
  const responses: Record<string, Json> = {
    '200': {
      description: 'Success',
      content: { 'application/json': { schema: components.add(`${base}Output`, d.outputSchema) } },
    },
  };
  described.responses = { ...responses, ...problemResponses(ERROR_RESPONSES) };
  return described;
}

export interface MergedOpenApiOptions {
  title?: string;
  version?: string;
}

export function buildMergedOpenApi(
  entries: readonly CatalogEntry[],
  options: MergedOpenApiOptions = {},
): Json {
  const components = new Components();
  const paths: Record<string, Record<string, Json>> = {};
  const routed = entries.filter((e) => e.route).sort((a, b) => a.label.localeCompare(b.label));
  for (const entry of routed) {
    const route = entry.route!;
    paths[route.openapiPath] ??= {};
    const method = route.method.toLowerCase();
    // Two operations claiming one route: the first (by name) is what /api serves too.
    if (paths[route.openapiPath]![method]) continue;
    paths[route.openapiPath]![method] = describe(entry, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'bosun gateway',
      version: options.version ?? '0.1.0',
      description:
        'Every service operation with a REST route, under /api/<service>, merged live from the registry.',
    },
    tags: [...new Set(routed.map((e) => e.service))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

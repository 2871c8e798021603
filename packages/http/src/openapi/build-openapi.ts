/**
 * The OpenAPI 3.1 document of a service, generated from its operations alone (no server
 * needed), so a test can regenerate it and diff it against the committed copy.
 *
 * Invariants:
 * - EVERY_ROUTE_DOCUMENTED: each operation with `http` appears once, operationId = operation name.
 * - The document describes what route-input.ts does (PATH_PARAMS_WIN; query for GET/DELETE,
 *   JSON body for POST/PUT/PATCH) and what the error handler answers (problem+json, `Problem`).
 * - Component names: `<Operation>Input`, `<Operation>Output`, `<Operation>Body` (the body
 *   when path parameters are taken out), plus schemas named with `.meta({ id })`.
 */
import { type AnyOperation, type AnyService, pathParams } from '@bosun/core';
import type { z } from 'zod';
import { type JsonSchema, pascalCase, SchemaComponents } from './json-schema.js';
import { problemResponses, problemSchema } from './problem-schema.js';

export interface OpenApiOptions {
  /** Server URLs for the `servers` list. Default: none (relative to where the document is served). */
  servers?: string[];
  /** Document title. Default: the service name. */
  title?: string;
}

export type OpenApiDocument = Record<string, unknown> & {
  openapi: '3.1.0';
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> };
};

/** Errors every route can answer; 400 covers malformed JSON and validation failures. */
const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Malformed request or input that fails the schema (BOSUN_BAD_REQUEST, BOSUN_VALIDATION_FAILED)',
  '413': 'Body larger than allowed (BOSUN_PAYLOAD_TOO_LARGE)',
  '415': 'Body is not application/json (BOSUN_UNSUPPORTED_MEDIA_TYPE)',
  '503': 'Draining or not ready; retry elsewhere (BOSUN_UNAVAILABLE)',
  default: 'Any other error, as RFC 9457 problem+json with a stable `code`',
};

/**
 * @example
 * const doc = buildOpenApiDocument(hello, { servers: ['http://localhost:3000'] });
 * writeFileSync('openapi.json', `${JSON.stringify(doc, null, 2)}\n`);
 */
export function buildOpenApiDocument(service: AnyService, options: OpenApiOptions = {}): OpenApiDocument {
  const components = new SchemaComponents();
  components.schemas.Problem = problemSchema;
  const paths: OpenApiDocument['paths'] = {};
  const names = Object.keys(service.operations).sort();
  for (const name of names) {
    const op = service.operations[name]!;
    if (!op.http) continue;
    const [method, route] = op.http.split(' ') as [string, string];
    const path = route.replace(/:([a-zA-Z][a-zA-Z0-9_]*)/g, '{$1}');
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = describeOperation(name, op, method, route, components);
  }
  const info: Record<string, unknown> = { title: options.title ?? service.name, version: service.version };
  if (service.description) info.description = service.description;
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info,
    paths,
    components: { schemas: components.schemas },
  };
  if (options.servers?.length) doc.servers = options.servers.map((url) => ({ url }));
  return doc;
}

function describeOperation(
  name: string,
  op: AnyOperation,
  method: string,
  route: string,
  components: SchemaComponents,
): JsonSchema {
  const base = pascalCase(name);
  const inPath = pathParams(route);
  const shape = objectShape(op.input);
  const inputRef = components.ref(op.input, `${base}Input`, 'input');
  const inputJson = components.convert(op.input, 'input');
  const props = (inputJson.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((inputJson.required ?? []) as string[]);
  const parameters: JsonSchema[] = inPath.map((p) => ({
    name: p,
    in: 'path',
    required: true,
    schema: props[p] ?? { type: 'string' },
  }));
  const described: JsonSchema = { operationId: name };
  if (op.title) described.summary = op.title;
  if (op.description) described.description = op.description;
  if (method === 'GET' || method === 'DELETE') {
    for (const [field, schema] of Object.entries(props)) {
      if (inPath.includes(field)) continue;
      parameters.push({ name: field, in: 'query', required: required.has(field), schema });
    }
  } else {
    let body = inputRef;
    if (inPath.length > 0 && shape) {
      const omitted = Object.fromEntries(inPath.map((p) => [p, true]));
      body = components.ref((op.input as z.ZodObject).omit(omitted as never), `${base}Body`, 'input');
    }
    described.requestBody = { required: true, content: { 'application/json': { schema: body } } };
  }
  if (parameters.length > 0) described.parameters = parameters;
  const responses: Record<string, JsonSchema> = {
    '200': {
      description: 'Success',
      content: { 'application/json': { schema: components.ref(op.output, `${base}Output`, 'output') } },
    },
  };
  described.responses = { ...responses, ...problemResponses(ERROR_RESPONSES) };
  return described;
}

function objectShape(schema: unknown): Record<string, unknown> | undefined {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? (shape as Record<string, unknown>) : undefined;
}

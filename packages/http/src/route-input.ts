/**
 * How an HTTP request becomes an operation's input: one object, validated once by
 * core's invoke() (INPUT_IS_VALIDATED), so HTTP answers the same BOSUN_VALIDATION_FAILED
 * as every other transport.
 *
 * Rules (documented in docs/http.md):
 * - GET and DELETE: input = query string fields + path parameters.
 * - POST, PUT and PATCH: input = JSON body fields + path parameters; the query string is
 *   ignored. A body that is not a JSON object (array, string, number) is passed as it is
 *   when the route has no path parameters, so non-object input schemas still work.
 * - PATH_PARAMS_WIN: a path parameter overrides a body or query field of the same name.
 * - Query and path values are strings (repeated query keys: arrays of strings); the
 *   operation's schema converts them with z.coerce.number(), z.stringbool() and friends.
 */
import type { HttpMethod } from '@bosun/core';

export interface RouteParts {
  method: HttpMethod;
  params: unknown;
  query: unknown;
  body: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies own enumerable fields into a null-prototype object (no prototype pollution). */
function own(source: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  if (isRecord(source)) for (const key of Object.keys(source)) out[key] = source[key];
  return out;
}

export function routeInput({ method, params, query, body }: RouteParts): unknown {
  const path = own(params);
  if (method === 'GET' || method === 'DELETE') return { ...own(query), ...path };
  if (body === undefined || body === null) return { ...path };
  // Nothing to merge into: the schema decides (a non-object schema accepts it, an object one says why not).
  if (!isRecord(body)) return body;
  return { ...own(body), ...path };
}

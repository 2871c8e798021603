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
 *
 * Invariant NO_PROTOTYPE_KEYS: the input is a fresh plain object built from the sources' own
 * enumerable fields, skipping `__proto__`, `constructor` and `prototype`, so no source can
 * set the input's prototype or shadow what a schema reads off it (no prototype pollution).
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

/** Copies own enumerable fields of `source` into `out`, skipping prototype keys (NO_PROTOTYPE_KEYS). */
function copyInto(out: Record<string, unknown>, source: unknown): void {
  if (!isRecord(source)) return;
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = source[key];
  }
}

export function routeInput({ method, params, query, body }: RouteParts): unknown {
  const out: Record<string, unknown> = {};
  if (method === 'GET' || method === 'DELETE') {
    copyInto(out, query);
  } else if (body !== undefined && body !== null) {
    // Nothing to merge into: the schema decides (a non-object schema accepts it, an object one says why not).
    if (!isRecord(body)) return body;
    copyInto(out, body);
  }
  copyInto(out, params); // PATH_PARAMS_WIN: last write wins
  return out;
}

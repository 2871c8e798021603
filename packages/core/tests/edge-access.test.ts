/** The edge access rule shared by the gateway and the callee (EDGE_ACCESS_IS_RECHECKED). */
import { expect, test } from 'vitest';
import { z } from 'zod';
import { assertAccess, assertEdgeAccess, exposedOn } from '../src/definition/edge-access.js';
import { operation } from '../src/definition/operation.js';
import { isBosunError } from '../src/errors/bosun-error.js';

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    return isBosunError(e) ? `${e.code} ${e.status}` : String(e);
  }
};
const reader = { user: { id: 'u', scopes: ['docs:read'] } };

test('PUBLIC_IS_EXPLICIT: no user passes only public operations; a scope needs that scope', () => {
  expect(codeOf(() => assertAccess({ public: true }, {}, 'docs.list'))).toBe('OK');
  expect(codeOf(() => assertAccess({}, {}, 'docs.list'))).toBe('BOSUN_UNAUTHENTICATED 401');
  expect(codeOf(() => assertAccess({}, reader, 'docs.list'))).toBe('OK');
  expect(codeOf(() => assertAccess({ scope: 'docs:read' }, reader, 'docs.get'))).toBe('OK');
  expect(codeOf(() => assertAccess({ scope: 'docs:write' }, reader, 'docs.put'))).toBe('BOSUN_FORBIDDEN 403');
});

test('EXPOSURE_IS_THE_CALLEES: an edge call on a surface the operation is not on is not found', () => {
  const internal = operation({
    input: z.object({}),
    output: z.object({}),
    mcp: false,
    graphql: false,
    scope: 'docs:read',
    handler: () => ({}),
  });
  expect([exposedOn(internal, 'http'), exposedOn(internal, 'mcp'), exposedOn(internal, 'graphql')]).toEqual([
    false,
    false,
    false,
  ]);
  expect(codeOf(() => assertEdgeAccess(internal, { ...reader, edge: 'mcp' }, 'docs.internal'))).toBe(
    'BOSUN_OPERATION_NOT_FOUND 404',
  );
  // Not from the edge: service-to-service calls are not restricted here.
  expect(codeOf(() => assertEdgeAccess(internal, { service: 'other' }, 'docs.internal'))).toBe('OK');
});

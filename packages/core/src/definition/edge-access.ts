/**
 * The access rule of the public edge, in one place, applied twice: by the gateway (from the
 * operation descriptors it learned from registry heartbeats) and by the callee (from its own
 * definition) for every call marked `caller.edge`.
 *
 * Invariants:
 * - EDGE_ACCESS_IS_RECHECKED: the callee's own definition is the authority. Heartbeats are
 *   unauthenticated, so a forged descriptor may tell the gateway an operation is public or
 *   needs no scope; the callee still refuses, with the same codes the gateway would answer.
 * - PUBLIC_IS_EXPLICIT: only `public: true` admits a caller without a user; an operation
 *   without a scope still needs an authenticated user.
 * - EXPOSURE_IS_THE_CALLEES: an edge call on a surface the operation is not exposed on
 *   (no `http` route, `mcp: false`, `graphql: false`) is BOSUN_OPERATION_NOT_FOUND.
 * Not here: verifying tokens (@bosun/auth) — this reads a Caller that was already verified.
 */
import { coreErrors } from '../errors/core.errors.js';
import type { Caller, EdgeSurface } from './context.js';
import type { AnyOperation } from './operation.js';

/** What the rule reads: an operation definition or a descriptor fits. */
export interface AccessRule {
  public?: boolean;
  scope?: string;
}

/**
 * Throws BOSUN_UNAUTHENTICATED (401) when the rule needs a user and there is none, and
 * BOSUN_FORBIDDEN (403) when the user lacks the rule's scope (PUBLIC_IS_EXPLICIT).
 * @example assertAccess({ scope: 'users:read' }, caller, 'users.getUser');
 */
export function assertAccess(rule: AccessRule, caller: Caller, label: string): void {
  if (rule.public === true) return;
  const user = caller.user;
  if (!user) {
    throw coreErrors.create(
      'BOSUN_UNAUTHENTICATED',
      `${label} needs a signed-in user: send Authorization: Bearer <access token>.`,
    );
  }
  if (rule.scope !== undefined && !user.scopes.includes(rule.scope)) {
    throw coreErrors.create('BOSUN_FORBIDDEN', `${label} needs the "${rule.scope}" scope.`, {
      meta: { scope: rule.scope },
    });
  }
}

/** Whether `op` is exposed on an edge surface (EXPOSURE_IS_THE_CALLEES). */
export function exposedOn(op: AnyOperation, surface: EdgeSurface): boolean {
  if (surface === 'http') return typeof op.http === 'string';
  if (surface === 'mcp') return op.mcp !== false;
  return op.graphql !== false;
}

/**
 * The callee's check of a call from the edge (EDGE_ACCESS_IS_RECHECKED): exposure on the
 * surface, then assertAccess against the callee's own definition. A call without
 * `caller.edge` (service to service) is not restricted here.
 */
export function assertEdgeAccess(op: AnyOperation, caller: Caller, label: string): void {
  const surface = caller.edge;
  if (surface === undefined) return;
  if (!exposedOn(op, surface)) {
    throw coreErrors.create('BOSUN_OPERATION_NOT_FOUND', `${label} is not exposed over ${surface}.`);
  }
  assertAccess(op, caller, label);
}

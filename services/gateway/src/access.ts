/**
 * Who may call what at the edge: verifies the user JWT (when one is sent) and applies the
 * operation's descriptor with core's assertAccess — the same rule, and so the same codes, on
 * REST, GraphQL and MCP. The result says on whose behalf the call is forwarded.
 *
 * Invariants:
 * - USER_TOKEN_IS_VERIFIED (@bosun/auth): a token that is sent must verify (401 BOSUN_AUTH_*),
 *   even for a public operation: a client holding a bad token should hear about it.
 * - PUBLIC_IS_EXPLICIT (core): no token is accepted only for `public: true` (401 BOSUN_UNAUTHENTICATED);
 *   a missing scope is 403 BOSUN_FORBIDDEN.
 * - EDGE_ACCESS_IS_RECHECKED: this is the early refusal from descriptors, which heartbeats
 *   carry unauthenticated; the callee applies the same rule to its own definition.
 */
import type { UserVerifier } from '@bosun/auth';
import type { OnBehalfOf } from '@bosun/bus';
import { assertAccess, type Caller, coreErrors, type EdgeSurface } from '@bosun/core';
import type { CatalogEntry } from './catalog.js';

export interface Access {
  /**
   * The signed-in user of a request that always needs one (the event stream): 401
   * BOSUN_UNAUTHENTICATED without a token, BOSUN_AUTH_* for a bad one (USER_TOKEN_IS_VERIFIED).
   */
  authenticate(authorization: string | undefined, what: string): Promise<Required<Pick<Caller, 'user'>>>;
  authorize(
    entry: CatalogEntry,
    authorization: string | undefined,
    surface: EdgeSurface,
  ): Promise<OnBehalfOf>;
}

export function createAccess(verifier: UserVerifier): Access {
  return {
    async authenticate(authorization, what) {
      const caller =
        authorization !== undefined && authorization.trim() !== ''
          ? await verifier.verify(authorization)
          : {};
      if (!caller.user) {
        throw coreErrors.create(
          'BOSUN_UNAUTHENTICATED',
          `${what} needs a signed-in user: send Authorization: Bearer <access token> (or access_token=<access token> where headers cannot be set).`,
        );
      }
      return { user: caller.user };
    },
    async authorize(entry, authorization, surface) {
      const caller: Caller =
        authorization !== undefined && authorization.trim() !== ''
          ? await verifier.verify(authorization)
          : {};
      assertAccess(entry.descriptor, caller, entry.label);
      const user = caller.user;
      return user ? { edge: surface, user: { id: user.id, scopes: [...user.scopes] } } : { edge: surface };
    },
  };
}

/**
 * Who may retry, cancel and redrive. An admin caller holds the `registry:admin` scope (or
 * the runtime's `queue:admin`, which MCP_ADMIN_TOKEN grants on /mcp/admin), or is a
 * service whose token the RPC server verified (the gateway forwarding an operator with
 * that scope; CALLER_IS_VERIFIED and its allow-lists decide).
 *
 * Credentials the registry itself accepts, both derived from REGISTRY_ADMIN_TOKEN:
 * - REST: `authorization: Bearer <REGISTRY_ADMIN_TOKEN>`;
 * - dashboard: a cookie set by the sign-in form, holding HMAC-SHA256(token, label) — never
 *   the token — HttpOnly, SameSite=Strict, Path=/dashboard, 12 hours.
 *
 * Invariants:
 * - ADMIN_NEEDS_SCOPE: every admin operation calls assertAdmin first; refusals are BOSUN_FORBIDDEN.
 * - TOKENS_COMPARED_IN_CONSTANT_TIME: presented secrets are hashed and compared with timingSafeEqual.
 * - NO_TOKEN_NO_ADMIN: with REGISTRY_ADMIN_TOKEN unset, no bearer or cookie grants anything.
 * - OTHER_BEARERS_ARE_ANONYMOUS: a bearer that is not the token (say, a user JWT a proxy passes
 *   along) grants nothing and refuses nothing: reads answer, admin operations are 403 with a hint.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Caller, coreErrors, type OperationContext } from '@bosun/core';

export const ADMIN_SCOPE = 'registry:admin';
const ADMIN_SCOPES = [ADMIN_SCOPE, 'queue:admin'];
export const ADMIN_COOKIE = 'bosun_registry_admin';
const COOKIE_LABEL = 'bosun-registry-dashboard-v1';
export const COOKIE_MAX_AGE_SECONDS = 12 * 60 * 60;

const ADMIN_USER = { id: 'registry-admin', scopes: [ADMIN_SCOPE] };

function same(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export function isAdmin(caller: Caller): boolean {
  if (caller.service) return true;
  const scopes = caller.user?.scopes ?? [];
  return ADMIN_SCOPES.some((s) => scopes.includes(s));
}

/** ADMIN_NEEDS_SCOPE. */
export function assertAdmin(ctx: Pick<OperationContext, 'caller'>, action: string): void {
  if (isAdmin(ctx.caller)) return;
  throw coreErrors.create(
    'BOSUN_FORBIDDEN',
    `${action} needs the ${ADMIN_SCOPE} scope: send "authorization: Bearer <REGISTRY_ADMIN_TOKEN>", sign in to the dashboard, or call through the gateway with a token holding ${ADMIN_SCOPE}.`,
  );
}

export interface AdminAuth {
  /** True when REGISTRY_ADMIN_TOKEN is set (the dashboard offers sign-in). */
  readonly enabled: boolean;
  /** ctx.caller for a REST request (the runtime's extension `caller` hook). */
  restCaller(headers: Record<string, string | string[] | undefined>): Caller | undefined;
  /** ctx.caller for a dashboard request, from its cookie. */
  cookieCaller(cookieHeader: string | undefined): Caller;
  /** The cookie value for a correct token, or undefined. */
  signIn(presented: string): string | undefined;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function createAdminAuth(token: string | undefined): AdminAuth {
  const cookieValue = token
    ? createHmac('sha256', token).update(COOKIE_LABEL).digest('base64url')
    : undefined;
  return {
    enabled: token !== undefined,
    restCaller(headers) {
      const header = headers.authorization;
      if (typeof header !== 'string' || !/^bearer /i.test(header)) return undefined;
      const presented = header.slice(7).trim();
      return token && same(presented, token) ? { user: ADMIN_USER } : undefined;
    },
    cookieCaller(cookieHeader) {
      const presented = readCookie(cookieHeader, ADMIN_COOKIE);
      if (!cookieValue || !presented || !same(presented, cookieValue)) return {};
      return { user: ADMIN_USER };
    },
    signIn(presented) {
      if (!token || !cookieValue || !same(presented, token)) return undefined;
      return cookieValue;
    },
  };
}

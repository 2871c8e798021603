/**
 * createServiceVerifier(): the callee's side of service-to-service JWT. Checks signature
 * (EdDSA, a trusted key of the issuer), audience (= this service), expiry, scope (= the
 * operation called) and the operation's allow-list, and returns the Caller.
 *
 * Invariants:
 * - CALLER_IS_VERIFIED: verify() returns only for a token signed by a trusted key of its
 *   issuer, for this audience, unexpired, granting this operation; otherwise it throws one
 *   of BOSUN_AUTH_TOKEN_MISSING / _TOKEN_INVALID / _TOKEN_EXPIRED / _WRONG_AUDIENCE /
 *   _UNKNOWN_KEY (401) or _CALLER_NOT_ALLOWED / _SCOPE_MISMATCH (403), logs and counts it.
 * - USER_RIDES_IN_THE_TOKEN: the `edge` and `user` claims of a verified token become
 *   `caller.edge` and `caller.user`; a token whose `edge` or `user` claim is malformed is
 *   BOSUN_AUTH_TOKEN_INVALID (never silently dropped: the callee would treat it as a service call).
 * - KEYS_NEVER_FROM_HEARTBEATS_IN_PRODUCTION: learnKey() adds a key only when
 *   `mode: 'development'` AND `learnKeysFromHeartbeats: true`; otherwise it refuses
 *   (returns false, logs). A learned key never replaces a configured one.
 */
import type { Caller, Logger } from '@bosun/core';
import { isBosunError } from '@bosun/core';
import { type CryptoKey, decodeJwt, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Registry } from 'prom-client';
import { authErrors } from './auth.errors.js';
import { mapJoseError } from './jose-errors.js';
import { importTrustedKey, SERVICE_ALG, type TrustedKey } from './keys.js';
import { refusalCounter } from './refusal-metrics.js';

export interface ServiceVerifierOptions {
  /** This service's name: the required `aud`. */
  audience: string;
  /** Public keys of the services allowed to call, by service name (PEM, JWK, JWKS or JWKS URL). */
  trustedKeys?: Record<string, TrustedKey>;
  /** Per operation, the services that may call it. Operations not listed accept any trusted service. */
  allow?: Record<string, string[]>;
  /** Default `production`. */
  mode?: 'development' | 'production';
  /** Let learnKey() add keys seen in registry heartbeats. Honoured only in development. */
  learnKeysFromHeartbeats?: boolean;
  log?: Logger;
  /** Counts refusals as `bosun_auth_refused_total`. */
  registry?: Registry;
  /** Clock skew allowed, seconds. Default 5. */
  clockToleranceSeconds?: number;
  /** Injected clock in ms (for expiry checks). Default Date.now. */
  now?: () => number;
}

/** `edge` and `user` claims (USER_RIDES_IN_THE_TOKEN) as Caller fields; malformed ones refuse the token. */
function onBehalfOf(payload: Record<string, unknown>, issuer: string): Pick<Caller, 'edge' | 'user'> {
  const { edge, user } = payload;
  if (edge === undefined && user === undefined) return {};
  const malformed = () =>
    authErrors.create(
      'BOSUN_AUTH_TOKEN_INVALID',
      `The token of "${issuer}" carries a malformed edge or user claim.`,
    );
  if (edge !== 'http' && edge !== 'graphql' && edge !== 'mcp') throw malformed();
  if (user === undefined) return { edge };
  const u = user as { id?: unknown; scopes?: unknown } | null;
  if (
    typeof u !== 'object' ||
    u === null ||
    typeof u.id !== 'string' ||
    !Array.isArray(u.scopes) ||
    !u.scopes.every((s) => typeof s === 'string')
  )
    throw malformed();
  return { edge, user: { id: u.id, scopes: [...(u.scopes as string[])] } };
}

export interface ServiceVerifier {
  verify(token: string | undefined, operation: string): Promise<Caller>;
  /** Adds a key learned from a heartbeat; false when refused (always, outside development). */
  learnKey(service: string, key: TrustedKey, source: string): Promise<boolean>;
  trustedServices(): string[];
}

/**
 * @example
 * const verifier = createServiceVerifier({ audience: 'users', trustedKeys: { gateway: gatewayJwk },
 *   allow: { deleteUser: ['admin'] }, registry: metrics.registry, log });
 * await serveRpc(transport, usersService, { log, verifier });
 */
export function createServiceVerifier(options: ServiceVerifierOptions): ServiceVerifier {
  const configured = new Map<string, Promise<CryptoKey | JWTVerifyGetKey>>();
  const learned = new Map<string, Promise<CryptoKey | JWTVerifyGetKey>>();
  for (const [service, key] of Object.entries(options.trustedKeys ?? {})) {
    const imported = importTrustedKey(key, service);
    imported.catch(() => {});
    configured.set(service, imported);
  }
  const count = refusalCounter(options.registry);
  const mayLearn = options.mode === 'development' && options.learnKeysFromHeartbeats === true;
  const now = options.now ?? Date.now;

  const check = async (token: string | undefined, operation: string): Promise<Caller> => {
    if (!token) throw authErrors.create('BOSUN_AUTH_TOKEN_MISSING', `No token for "${operation}".`);
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch (cause) {
      throw authErrors.create('BOSUN_AUTH_TOKEN_INVALID', 'The token is not a JWT.', { cause });
    }
    const key = issuer ? (configured.get(issuer) ?? learned.get(issuer)) : undefined;
    if (!issuer || !key) {
      throw authErrors.create(
        'BOSUN_AUTH_UNKNOWN_KEY',
        `No trusted key for issuer "${issuer ?? '(none)'}".`,
        {
          meta: { issuer },
        },
      );
    }
    let payload: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, (await key) as CryptoKey, {
        algorithms: [SERVICE_ALG],
        audience: options.audience,
        issuer,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        currentDate: new Date(now()),
        requiredClaims: ['exp', 'iat'],
      });
      payload = verified.payload;
    } catch (error) {
      throw isBosunError(error) ? error : mapJoseError(error, `"${issuer}"`);
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(operation)) {
      throw authErrors.create(
        'BOSUN_AUTH_SCOPE_MISMATCH',
        `The token of "${issuer}" does not grant "${operation}".`,
      );
    }
    const allowed = options.allow?.[operation];
    if (allowed && !allowed.includes(issuer)) {
      throw authErrors.create('BOSUN_AUTH_CALLER_NOT_ALLOWED', `"${issuer}" may not call "${operation}".`, {
        meta: { caller: issuer, operation },
      });
    }
    return { service: issuer, ...onBehalfOf(payload, issuer) };
  };

  return {
    async verify(token, operation) {
      try {
        return await check(token, operation);
      } catch (error) {
        const code = isBosunError(error) ? error.code : 'UNKNOWN';
        count({ kind: 'service', code, operation });
        options.log?.warn({ code, operation, audience: options.audience }, 'service token refused');
        throw error;
      }
    },
    async learnKey(service, key, source) {
      if (!mayLearn) {
        options.log?.warn(
          { service, source, mode: options.mode ?? 'production' },
          'refused to trust a key from an unauthenticated source; configure trusted keys instead',
        );
        return false;
      }
      if (configured.has(service)) return false;
      const imported = importTrustedKey(key, service);
      await imported;
      learned.set(service, imported);
      options.log?.warn({ service, source }, 'trusting a key learned from a heartbeat (development only)');
      return true;
    },
    trustedServices: () => [...new Set([...configured.keys(), ...learned.keys()])].sort(),
  };
}

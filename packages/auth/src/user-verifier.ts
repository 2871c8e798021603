/**
 * createUserVerifier(): verifies end-user JWTs at the gateway and turns them into
 * `Caller.user` (id from `sub`, scopes from `scope` — space-separated — or `scopes` — array).
 * One of: an HS256 shared secret, an EdDSA public key, a JWKS URL, or a JWKS loader (the
 * gateway fetches the users service's `jwks` operation over the bus with one).
 *
 * Invariants:
 * - USER_TOKEN_IS_VERIFIED: verify() returns only for a token whose signature, expiry and
 *   (when configured) issuer and audience check out; otherwise a coded 401 error, counted.
 * - requireScope() throws core's BOSUN_FORBIDDEN (403) when a scope is missing.
 * - JWKS_REFETCH_IS_BOUNDED: a loader runs on first use and again only for a token whose key
 *   id it does not know, at most once per `jwksCooldownMs` (default 30 s), so tokens with
 *   made-up key ids cannot turn into a flood of loads. A failed load is BOSUN_UNAVAILABLE (503).
 */
import { type Caller, coreErrors, isBosunError, type Logger } from '@bosun/core';
import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { Registry } from 'prom-client';
import { authErrors } from './auth.errors.js';
import { mapJoseError } from './jose-errors.js';
import { importTrustedKey, type KeyInput } from './keys.js';
import { refusalCounter } from './refusal-metrics.js';

export type UserKeySource =
  | { secret: string }
  | { publicKey: KeyInput }
  | { jwksUrl: string | URL }
  | { loadJwks: () => Promise<JSONWebKeySet> };

export type UserVerifierOptions = UserKeySource & {
  /** With `loadJwks`: the least time between two loads for unknown key ids. Default 30_000 ms. */
  jwksCooldownMs?: number;
  /** Injected clock (ms) for the cooldown. Default Date.now. */
  now?: () => number;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds?: number;
  log?: Logger;
  registry?: Registry;
};

export interface UserVerifier {
  /** Accepts a bare token or an `authorization` header value (`Bearer …`). */
  verify(tokenOrHeader: string | undefined): Promise<Caller>;
}

export function scopesOf(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') return payload.scope.split(' ').filter(Boolean);
  if (Array.isArray(payload.scopes)) return payload.scopes.filter((s): s is string => typeof s === 'string');
  return [];
}

/**
 * @example
 * const users = createUserVerifier({ jwksUrl: config.AUTH_JWKS_URL, issuer: 'https://id.example.com' });
 * const caller = await users.verify(request.headers.authorization);
 */
export function createUserVerifier(options: UserVerifierOptions): UserVerifier {
  let key: Promise<CryptoKey | Uint8Array | JWTVerifyGetKey>;
  let algorithms: string[];
  if ('secret' in options) {
    key = Promise.resolve(new TextEncoder().encode(options.secret));
    algorithms = ['HS256'];
  } else if ('publicKey' in options) {
    key = importTrustedKey(options.publicKey, 'users');
    algorithms = ['EdDSA'];
  } else if ('loadJwks' in options) {
    key = Promise.resolve(
      loadingKeySet(options.loadJwks, options.jwksCooldownMs ?? 30_000, options.now ?? Date.now),
    );
    algorithms = ['EdDSA', 'RS256', 'ES256'];
  } else {
    key = Promise.resolve(createRemoteJWKSet(new URL(options.jwksUrl)));
    algorithms = ['EdDSA', 'RS256', 'ES256'];
  }
  key.catch(() => {});
  const count = refusalCounter(options.registry);

  return {
    async verify(tokenOrHeader) {
      try {
        const token = tokenOrHeader?.replace(/^Bearer\s+/i, '').trim();
        if (!token) throw authErrors.create('BOSUN_AUTH_TOKEN_MISSING', 'No user token was sent.');
        let payload: JWTPayload;
        try {
          ({ payload } = await jwtVerify(token, (await key) as CryptoKey, {
            algorithms,
            issuer: options.issuer,
            audience: options.audience,
            clockTolerance: options.clockToleranceSeconds ?? 5,
            requiredClaims: ['sub', 'exp'],
          }));
        } catch (error) {
          throw isBosunError(error) ? error : mapJoseError(error, 'the user');
        }
        return { user: { id: String(payload.sub), scopes: scopesOf(payload), claims: payload } };
      } catch (error) {
        const code = isBosunError(error) ? error.code : 'UNKNOWN';
        count({ kind: 'user', code, operation: '' });
        options.log?.info({ code }, 'user token refused');
        throw error;
      }
    },
  };
}

/** A key getter over a JWKS loader (JWKS_REFETCH_IS_BOUNDED). */
function loadingKeySet(
  load: () => Promise<JSONWebKeySet>,
  cooldownMs: number,
  now: () => number,
): JWTVerifyGetKey {
  let current: { getKey: JWTVerifyGetKey; at: number } | undefined;
  let loading: Promise<{ getKey: JWTVerifyGetKey; at: number }> | undefined;
  const refresh = () => {
    loading ??= load()
      .then((jwks) => {
        current = { getKey: createLocalJWKSet(jwks), at: now() };
        return current;
      })
      .catch((cause: unknown) => {
        throw coreErrors.create(
          'BOSUN_UNAVAILABLE',
          'The keys that verify user tokens cannot be loaded right now; retry shortly.',
          { cause },
        );
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  return async (header, token) => {
    const set = current ?? (await refresh());
    try {
      return await set.getKey(header, token);
    } catch (error) {
      const unknownKid = (error as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY';
      if (!unknownKid || now() - set.at < cooldownMs) throw error;
      return (await refresh()).getKey(header, token);
    }
  };
}

/** Throws BOSUN_FORBIDDEN unless the caller's user has `scope`. */
export function requireScope(caller: Caller, scope: string): void {
  if (!caller.user?.scopes.includes(scope)) {
    throw coreErrors.create('BOSUN_FORBIDDEN', `This needs the "${scope}" scope.`, { meta: { scope } });
  }
}

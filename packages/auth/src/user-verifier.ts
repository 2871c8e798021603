/**
 * createUserVerifier(): verifies end-user JWTs at the gateway and turns them into
 * `Caller.user` (id from `sub`, scopes from `scope` — space-separated — or `scopes` — array).
 * One of: an HS256 shared secret, an EdDSA public key, or a JWKS URL.
 *
 * Invariants:
 * - USER_TOKEN_IS_VERIFIED: verify() returns only for a token whose signature, expiry and
 *   (when configured) issuer and audience check out; otherwise a coded 401 error, counted.
 * - requireScope() throws core's BOSUN_FORBIDDEN (403) when a scope is missing.
 */
import { type Caller, coreErrors, isBosunError, type Logger } from '@bosun/core';
import { type CryptoKey, createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Registry } from 'prom-client';
import { authErrors } from './auth.errors.js';
import { mapJoseError } from './jose-errors.js';
import { importTrustedKey, type KeyInput } from './keys.js';
import { refusalCounter } from './refusal-metrics.js';

export type UserKeySource = { secret: string } | { publicKey: KeyInput } | { jwksUrl: string | URL };

export type UserVerifierOptions = UserKeySource & {
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

/** Throws BOSUN_FORBIDDEN unless the caller's user has `scope`. */
export function requireScope(caller: Caller, scope: string): void {
  if (!caller.user?.scopes.includes(scope)) {
    throw coreErrors.create('BOSUN_FORBIDDEN', `This needs the "${scope}" scope.`, { meta: { scope } });
  }
}

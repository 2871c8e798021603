/**
 * createServiceSigner(): short-lived service-to-service tokens. Each token is EdDSA-signed
 * with `iss` = this service, `aud` = the target service, `scope` = the operation, 60 s life.
 *
 * Invariants:
 * - TOKENS_ARE_SHORT_LIVED: `exp` is `iat + ttlSeconds` (default 60).
 * - TOKEN_CACHE_REFRESHES_EARLY: a cached token is reused only while it has more than
 *   `refreshBeforeSeconds` (default 15) left, so a token never expires in flight.
 * - USER_RIDES_IN_THE_TOKEN: a token signed `onBehalfOf` an edge request carries the claims
 *   `edge` (the surface) and `user` (`{ id, scopes }`), under the same signature, so a callee
 *   learns the user only from what the signing service vouched for. Such tokens are never
 *   cached (one per call: users and scopes vary, and a cache keyed by them would grow unbounded).
 */
import { SignJWT } from 'jose';
import { importPrivateKey, type KeyInput, SERVICE_ALG } from './keys.js';

export interface ServiceSignerOptions {
  /** This service's name: the `iss` of its tokens. */
  service: string;
  /** SERVICE_PRIVATE_KEY: PKCS#8 PEM or JWK (Ed25519). */
  privateKey: KeyInput;
  kid?: string;
  /** Default 60. */
  ttlSeconds?: number;
  /** Default 15. */
  refreshBeforeSeconds?: number;
  /** Injected clock in ms. Default Date.now. */
  now?: () => number;
}

/** The edge request a token is signed on behalf of (structural: @bosun/bus's OnBehalfOf fits). */
export interface OnBehalfOfClaims {
  edge: 'http' | 'graphql' | 'mcp';
  user?: { id: string; scopes: string[] };
}

export interface ServiceSigner {
  readonly service: string;
  /** A bearer token for calling `audience`'s `scope` operation. Bound: pass `signer.sign` as a tokenProvider. */
  sign(request: { audience: string; scope: string; onBehalfOf?: OnBehalfOfClaims }): Promise<string>;
}

/**
 * @example
 * const signer = createServiceSigner({ service: 'gateway', privateKey: config.SERVICE_PRIVATE_KEY, kid: 'gateway-1' });
 * const users = createClient<typeof usersService>(transport, 'users', { tokenProvider: signer.sign });
 */
export function createServiceSigner(options: ServiceSignerOptions): ServiceSigner {
  const key = importPrivateKey(options.privateKey, options.service);
  // An unread key is reported on first use; avoid an unhandled rejection before that.
  key.catch(() => {});
  const ttl = options.ttlSeconds ?? 60;
  const margin = options.refreshBeforeSeconds ?? 15;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { token: string; exp: number }>();

  return {
    service: options.service,
    sign: async ({ audience, scope, onBehalfOf }) => {
      const cacheKey = `${audience} ${scope}`;
      const seconds = Math.floor(now() / 1000);
      const cached = onBehalfOf ? undefined : cache.get(cacheKey);
      if (cached && cached.exp - seconds > margin) return cached.token;
      const exp = seconds + ttl;
      const claims: Record<string, unknown> = { scope };
      if (onBehalfOf) {
        claims.edge = onBehalfOf.edge;
        if (onBehalfOf.user) claims.user = { id: onBehalfOf.user.id, scopes: [...onBehalfOf.user.scopes] };
      }
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: SERVICE_ALG, typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) })
        .setIssuer(options.service)
        .setSubject(options.service)
        .setAudience(audience)
        .setIssuedAt(seconds)
        .setExpirationTime(exp)
        .sign(await key);
      if (!onBehalfOf) cache.set(cacheKey, { token, exp });
      return token;
    },
  };
}

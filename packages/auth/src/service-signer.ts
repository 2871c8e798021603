/**
 * createServiceSigner(): short-lived service-to-service tokens. Each token is EdDSA-signed
 * with `iss` = this service, `aud` = the target service, `scope` = the operation, 60 s life.
 *
 * Invariants:
 * - TOKENS_ARE_SHORT_LIVED: `exp` is `iat + ttlSeconds` (default 60).
 * - TOKEN_CACHE_REFRESHES_EARLY: a cached token is reused only while it has more than
 *   `refreshBeforeSeconds` (default 15) left, so a token never expires in flight.
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

export interface ServiceSigner {
  readonly service: string;
  /** A bearer token for calling `audience`'s `scope` operation. Bound: pass `signer.sign` as a tokenProvider. */
  sign(request: { audience: string; scope: string }): Promise<string>;
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
    sign: async ({ audience, scope }) => {
      const cacheKey = `${audience} ${scope}`;
      const seconds = Math.floor(now() / 1000);
      const cached = cache.get(cacheKey);
      if (cached && cached.exp - seconds > margin) return cached.token;
      const exp = seconds + ttl;
      const token = await new SignJWT({ scope })
        .setProtectedHeader({ alg: SERVICE_ALG, typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) })
        .setIssuer(options.service)
        .setSubject(options.service)
        .setAudience(audience)
        .setIssuedAt(seconds)
        .setExpirationTime(exp)
        .sign(await key);
      cache.set(cacheKey, { token, exp });
      return token;
    },
  };
}

/**
 * Access and refresh tokens.
 *
 * - Access token: an EdDSA JWT (`sub` = user id, `scope` = space-separated scopes,
 *   `iss`, `iat`, `exp` = 15 minutes, `jti`), with the signing key's `kid` in its header,
 *   verifiable by anyone holding the JWKS.
 * - Refresh token: 32 random bytes, opaque (`rt_` + base64url). Only its SHA-256 is stored
 *   (REFRESH_TOKENS_STORED_HASHED); a high-entropy token needs no slow hash.
 *
 * Not here: storing, rotating and revoking refresh tokens (sessions.ts).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { type SigningKey, TOKEN_ALG } from './signing-key.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface AccessClaims {
  userId: string;
  scopes: readonly string[];
  issuer: string;
}

export function signAccessToken(key: SigningKey, claims: AccessClaims): Promise<string> {
  return new SignJWT({ scope: claims.scopes.join(' ') })
    .setProtectedHeader({ alg: TOKEN_ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(claims.issuer)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = `rt_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

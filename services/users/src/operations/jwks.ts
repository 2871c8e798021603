/**
 * jwks — GET /.well-known/jwks.json (public): the public key that verifies user access
 * tokens, as a JWK Set, for the gateway (`createUserVerifier({ jwksUrl })` in @bosun/auth)
 * and anyone else holding a token. Not an MCP tool: it is for machines, not agents.
 * Invariant PRIVATE_KEY_NEVER_LEAVES (signing-key.ts).
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { signingKey } from '../signing-key.js';
import type { UsersContext } from '../users-context.js';

const PublicJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});

export const jwks = operation({
  title: 'JSON Web Key Set',
  description: 'The public keys that verify user access tokens (RFC 7517).',
  input: z.object({}),
  output: z.object({ keys: z.array(PublicJwk) }),
  http: 'GET /.well-known/jwks.json',
  public: true,
  idempotent: true,
  mcp: false,
  graphql: false,
  handler: async (_input, ctx: UsersContext) => {
    const key = await signingKey(ctx.config, ctx.log);
    return { keys: [key.publicJwk as z.input<typeof PublicJwk>] };
  },
});

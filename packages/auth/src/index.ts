/**
 * @bosun/auth — service-to-service JWT (sign, verify, allow-lists, dev keys), user JWT
 * verification for the gateway, and trace propagation helpers.
 */
export type { AuthErrorCode } from './auth.errors.js';
export { authErrors } from './auth.errors.js';
export type { DevKeyPair, KeyInput, TrustedKey } from './keys.js';
export { generateDevKeyPair, SERVICE_ALG } from './keys.js';
export type { HeartbeatSource } from './learn-keys.js';
export { learnKeysFromHeartbeats } from './learn-keys.js';
export type { OnBehalfOfClaims, ServiceSigner, ServiceSignerOptions } from './service-signer.js';
export { createServiceSigner } from './service-signer.js';
export type { ServiceVerifier, ServiceVerifierOptions } from './service-verifier.js';
export { createServiceVerifier } from './service-verifier.js';
export { extractTrace, injectTrace, TRACEPARENT } from './trace-propagation.js';
export type { UserKeySource, UserVerifier, UserVerifierOptions } from './user-verifier.js';
export { createUserVerifier, requireScope, scopesOf } from './user-verifier.js';

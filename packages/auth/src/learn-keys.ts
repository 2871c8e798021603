/**
 * learnKeysFromHeartbeats(): in development, trust the public keys services announce in
 * their registry heartbeats, so a local platform works without key configuration.
 * The verifier decides (KEYS_NEVER_FROM_HEARTBEATS_IN_PRODUCTION): in production every
 * key offered here is refused.
 * The view is structural (@bosun/bus's RegistryView fits) so auth does not depend on bus.
 */
import type { JWK } from 'jose';
import type { ServiceVerifier } from './service-verifier.js';

export interface HeartbeatSource {
  onHeartbeat(
    listener: (message: { service: string; publicKey?: Record<string, unknown> }) => void,
  ): () => void;
}

/** Returns an unsubscribe function. */
export function learnKeysFromHeartbeats(view: HeartbeatSource, verifier: ServiceVerifier): () => void {
  const seen = new Set<string>();
  return view.onHeartbeat((message) => {
    if (!message.publicKey) return;
    const key = `${message.service} ${JSON.stringify(message.publicKey)}`;
    if (seen.has(key)) return;
    seen.add(key);
    void verifier.learnKey(message.service, message.publicKey as JWK, 'registry heartbeat').catch(() => {});
  });
}

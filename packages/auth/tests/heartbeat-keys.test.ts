/**
 * KEYS_NEVER_FROM_HEARTBEATS_IN_PRODUCTION: a heartbeat is unauthenticated, so in
 * production a public key announced in one never becomes trusted; in development (opted
 * in) it does. Uses real registry heartbeats over the in-process bus.
 */

import {
  createInProcessBroker,
  createInProcessTransport,
  createRegistryView,
  startHeartbeat,
} from '@bosun/bus';
import { defineService, isBosunError } from '@bosun/core';
import { afterEach, expect, test } from 'vitest';
import { generateDevKeyPair } from '../src/keys.js';
import { learnKeysFromHeartbeats } from '../src/learn-keys.js';
import { createServiceSigner } from '../src/service-signer.js';
import { createServiceVerifier } from '../src/service-verifier.js';

const broker = createInProcessBroker();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function announce(root: string, service: string, publicKey: Record<string, unknown>) {
  const transport = createInProcessTransport({ broker, root });
  const viewer = createInProcessTransport({ broker, root });
  const view = await createRegistryView(viewer);
  closers.push(
    () => transport.close(),
    () => viewer.close(),
    () => view.close(),
  );
  return {
    view,
    send: () =>
      startHeartbeat(transport, defineService({ name: service }), { publicKey, intervalMs: 60_000 }),
  };
}

test('in production a key from a heartbeat is never trusted', async () => {
  const attacker = await generateDevKeyPair('billing');
  const verifier = createServiceVerifier({
    audience: 'users',
    mode: 'production',
    learnKeysFromHeartbeats: true,
  });
  const { view, send } = await announce('t_prod', 'billing', attacker.publicKey);
  const seen: string[] = [];
  view.onHeartbeat((m) => void seen.push(m.service));
  learnKeysFromHeartbeats(view, verifier);
  const beat = await send();
  closers.push(() => beat.stop());
  await expect.poll(() => seen).toContain('billing');
  expect(verifier.trustedServices()).toEqual([]);
  const token = await createServiceSigner({ service: 'billing', privateKey: attacker.privateKey }).sign({
    audience: 'users',
    scope: 'getUser',
  });
  const error = await verifier.verify(token, 'getUser').catch((e: unknown) => e);
  expect(isBosunError(error, 'BOSUN_AUTH_UNKNOWN_KEY')).toBe(true);
});

test('in development, opted in, a key from a heartbeat is learned', async () => {
  const billing = await generateDevKeyPair('billing');
  const verifier = createServiceVerifier({
    audience: 'users',
    mode: 'development',
    learnKeysFromHeartbeats: true,
  });
  const { view, send } = await announce('t_dev', 'billing', billing.publicKey);
  learnKeysFromHeartbeats(view, verifier);
  const beat = await send();
  closers.push(() => beat.stop());
  await expect.poll(() => verifier.trustedServices()).toEqual(['billing']);
  const token = await createServiceSigner({ service: 'billing', privateKey: billing.privateKey }).sign({
    audience: 'users',
    scope: 'getUser',
  });
  await expect(verifier.verify(token, 'getUser')).resolves.toEqual({ service: 'billing' });
});

test('in development without opting in, keys are not learned', async () => {
  const verifier = createServiceVerifier({ audience: 'users', mode: 'development' });
  const key = await generateDevKeyPair('billing');
  expect(await verifier.learnKey('billing', key.publicKey, 'test')).toBe(false);
});

/**
 * Auth wired into RPC: the client signs per call (audience = target, scope = operation),
 * the server verifies before the handler runs and refuses with a coded error. Runs on the
 * in-process bus and, when configured, on NATS.
 */
import {
  type BusClient,
  createClient,
  createInProcessBroker,
  createInProcessTransport,
  createNatsTransport,
  serveRpc,
  type Transport,
} from '@bosun/bus';
import { defineService, isBosunError, operation } from '@bosun/core';
import type {} from '@bosun/testing';
import pino from 'pino';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { z } from 'zod';
import { generateDevKeyPair } from '../src/keys.js';
import { createServiceSigner } from '../src/service-signer.js';
import { createServiceVerifier } from '../src/service-verifier.js';

const users = defineService({
  name: 'users',
  operations: {
    whoCalls: operation({
      input: z.object({}),
      output: z.object({ service: z.string().optional() }),
      handler: (_input, ctx) => ({ service: ctx.caller.service }),
    }),
  },
});

const natsUrl = inject('natsUrl') || undefined;
const broker = createInProcessBroker();
const adapters: Array<[string, boolean, (root: string) => Promise<Transport>]> = [
  ['in-process', false, async (root) => createInProcessTransport({ broker, root })],
  [
    'nats',
    natsUrl === undefined && process.env.CI !== 'true',
    (root) => createNatsTransport({ servers: natsUrl ?? '', root }),
  ],
];

const gatewayKeys = await generateDevKeyPair('gateway');
const log = pino({ level: 'silent' });

for (const [name, skip, make] of adapters) {
  describe.skipIf(skip)(`RPC with service tokens (${name})`, () => {
    const open: Transport[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((t) => t.close()));
    });

    async function setup() {
      const root = `t_${Math.random().toString(36).slice(2, 10)}`;
      const [server, caller] = [await make(root), await make(root)];
      open.push(server, caller);
      const verifier = createServiceVerifier({
        audience: 'users',
        trustedKeys: { gateway: gatewayKeys.publicKey },
      });
      await serveRpc(server, users, { log, verifier });
      return caller;
    }

    test('a signed call reaches the handler with the calling service as ctx.caller', async () => {
      const caller = await setup();
      const signer = createServiceSigner({ service: 'gateway', privateKey: gatewayKeys.privateKey });
      const client: BusClient<typeof users> = createClient<typeof users>(caller, 'users', {
        tokenProvider: signer.sign,
      });
      await expect(client.whoCalls({})).resolves.toEqual({ service: 'gateway' });
    });

    test('a call without a token is refused with BOSUN_AUTH_TOKEN_MISSING (401)', async () => {
      const client = createClient<typeof users>(await setup(), 'users');
      const error = await client.whoCalls({}).catch((e: unknown) => e);
      expect(isBosunError(error, 'BOSUN_AUTH_TOKEN_MISSING')).toBe(true);
      expect(error).toMatchObject({ status: 401 });
    });

    test('a call signed by an untrusted key is refused', async () => {
      const forged = await generateDevKeyPair('gateway');
      const signer = createServiceSigner({ service: 'gateway', privateKey: forged.privateKey });
      const client = createClient<typeof users>(await setup(), 'users', { tokenProvider: signer.sign });
      const error = await client.whoCalls({}).catch((e: unknown) => e);
      expect(isBosunError(error, 'BOSUN_AUTH_TOKEN_INVALID')).toBe(true);
    });
  });
}

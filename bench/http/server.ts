/**
 * One HTTP contender in its own process (forked by run.ts), so autocannon's CPU is not
 * the server's. argv[2]: `bosun` | `bosun-metrics` | `fastify`. Listens on 127.0.0.1 port
 * 0, sends `{ port }` to the parent, and exits when the parent says `stop` or goes away.
 */
import type { OperationContext } from '@bosun/core';
import { createHttpServer, type HttpContextBase } from '@bosun/http';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from '@fastify/type-provider-zod';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createContextFactory } from '../../packages/runtime/src/service-context.js';
import { CreateItemInput, createItem, Item, itemService } from './item-service.js';

const kind = process.argv[2];

// Hoisted: a fresh closure per request would be the harness's cost, not the transport's.
const jobs: OperationContext['jobs'] = { send: async () => ({ id: '1' }) };
const events: OperationContext['events'] = { publish: async () => {} };
const config = {};

/**
 * What the runtime's createContext adds (its real factory, with no real ports behind it),
 * so the request pays for what a service's request pays for: LAZY_STAYS_LAZY included.
 * Imported by path: @bosun/runtime exports only the composed app.
 */
const factory = createContextFactory({
  service: itemService,
  config,
  log: pino({ level: 'silent' }),
  db: () => undefined,
  jobs,
  events,
});
// As packages/runtime/src/http-component.ts hands it the HTTP base.
const context = (base: HttpContextBase) => factory(base, { lazySignal: true });

function bosun(metrics: boolean): FastifyInstance {
  const server = createHttpServer({
    service: itemService,
    log: pino({ level: 'silent' }),
    createContext: context,
    ...(metrics ? { metricsRegistry: new Registry() } : {}),
  });
  return server.app;
}

function bareFastify(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.withTypeProvider<ZodTypeProvider>().route({
    method: 'POST',
    url: '/items',
    schema: { body: CreateItemInput, response: { 200: Item } },
    handler: async (req) => createItem(req.body),
  });
  return app as unknown as FastifyInstance;
}

const app =
  kind === 'fastify'
    ? bareFastify()
    : kind === 'bosun' || kind === 'bosun-metrics'
      ? bosun(kind === 'bosun-metrics')
      : undefined;
if (!app) throw new Error(`Unknown contender "${kind}": use bosun, bosun-metrics or fastify.`);

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('message', (m) => {
  if (m === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.send?.({ port });

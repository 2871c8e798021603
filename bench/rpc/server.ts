/**
 * One RPC responder in its own process (forked by run.ts): argv[2] `bosun` (serveRpc over
 * the NATS transport), `raw` (a core NATS queue subscription that answers with the request's
 * bytes) or `moleculer` (a ServiceBroker with the NATS transporter); argv[3] is the subject
 * root / namespace, unique per run. Sends `{ ready: true }` when serving and exits when told
 * `stop` or when the parent goes away.
 */
import { createNatsTransport, serveRpc } from '@bosun/bus';
import { connect } from '@nats-io/transport-node';
import moleculer from 'moleculer';
import { pino } from 'pino';
import { echoService } from './echo-service.js';

const [kind, root] = process.argv.slice(2);
if (!root) throw new Error('Usage: server.ts <bosun|raw|moleculer> <root>');
const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

async function bosun(): Promise<() => Promise<void>> {
  const transport = await createNatsTransport({ servers, root, name: 'bench-echo-bosun' });
  const rpc = await serveRpc(transport, echoService, { log: pino({ level: 'silent' }) });
  return async () => {
    await rpc.close();
    await transport.close();
  };
}

async function raw(): Promise<() => Promise<void>> {
  const nc = await connect({ servers, name: 'bench-echo-raw' });
  nc.subscribe(`${root}.raw.echo`, { queue: 'echo', callback: (err, msg) => !err && msg.respond(msg.data) });
  await nc.flush();
  return () => nc.drain();
}

async function molecular(): Promise<() => Promise<void>> {
  const broker = new moleculer.ServiceBroker({
    namespace: root,
    nodeID: `echo-${process.pid}`,
    transporter: servers,
    logger: false,
  });
  broker.createService({
    name: 'echo',
    actions: {
      echo: {
        params: { text: { type: 'string', max: 1000 } },
        handler: (ctx: moleculer.Context<{ text: string }>) => ({ text: ctx.params.text }),
      },
    },
  });
  await broker.start();
  return () => broker.stop();
}

const start = { bosun, raw, moleculer: molecular }[kind as 'bosun' | 'raw' | 'moleculer'];
if (!start) throw new Error(`Unknown contender "${kind}": use bosun, raw or moleculer.`);
const close = await start();
const stop = async () => {
  await close();
  process.exit(0);
};
process.on('message', (m) => {
  if (m === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.send?.({ ready: true });

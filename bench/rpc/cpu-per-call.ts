/**
 * npx tsx rpc/cpu-per-call.ts [label]   (from bench/; NATS_URL, default nats://127.0.0.1:4222)
 *
 * bosun's own CPU per RPC call, both ends: serveRpc and createClient in ONE process over the
 * NATS transport (32 in flight), five runs of 60,000 echo calls after a 30,000-call warm-up;
 * prints process CPU microseconds per call and calls/s per run. Less sensitive to a shared
 * machine than bench:rpc's throughput (a neighbour's load slows calls/s, not CPU per call),
 * so use it to A/B a change to packages/bus; bench:rpc stays the number to report.
 * Subjects live under a root unique to this run; both connections are closed.
 */
import { randomBytes } from 'node:crypto';
import { createClient, createNatsTransport, serveRpc } from '@bosun/bus';
import { pino } from 'pino';
import { echoService, PAYLOAD } from './echo-service.js';

const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const root = `cpu_${randomBytes(4).toString('hex')}`;
const serverTransport = await createNatsTransport({ servers, root, name: 'bench-cpu-server' });
const rpc = await serveRpc(serverTransport, echoService, { log: pino({ level: 'silent' }) });
const clientTransport = await createNatsTransport({ servers, root, name: 'bench-cpu-client' });
const echo = createClient<typeof echoService>(clientTransport, 'echo', { definition: echoService });

async function run(calls: number): Promise<{ cpuUsPerCall: number; rate: number }> {
  let left = calls;
  const worker = async () => {
    while (left-- > 0) await echo.echo(PAYLOAD);
  };
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 32 }, worker));
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { cpuUsPerCall: (used.user + used.system) / calls, rate: calls / seconds };
}

try {
  await run(30_000);
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await run(60_000));
  console.log(
    `${process.argv[2] ?? 'bosun'}: ${runs.map((r) => `${r.cpuUsPerCall.toFixed(1)} us/call at ${Math.round(r.rate)} calls/s`).join('; ')}`,
  );
} finally {
  await rpc.close();
  await serverTransport.close();
  await clientTransport.close();
}

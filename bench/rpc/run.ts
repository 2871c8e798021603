/**
 * npm run bench:rpc [-- --duration=5 --rounds=3 --inflight=32]
 *
 * Issue 5, Performance: RPC echo with 32 calls in flight over NATS (NATS_URL, default
 * nats://127.0.0.1:4222): bosun (serveRpc + createClient, validated on both ends) vs raw
 * `nc.request` with @nats-io/transport-node (JSON in and out, the responder echoes bytes;
 * once with defaults and once with `noAsyncTraces`, which bosun's transport also sets) vs
 * Moleculer 0.15 with its NATS transporter. Each responder runs in its own child process;
 * the clients run here. After a warm-up, every round runs each contender for a fixed
 * duration, order alternating; the table reports median calls/s and latency percentiles.
 * Targets: bosun >= 1.5x Moleculer and >= 0.7x raw NATS.
 * `--only=<contender>` runs one (e.g. to profile bosun alone).
 * `--profile` writes V8 CPU profiles of the responders to bench/rpc/profiles/ (run this
 * script under `node --cpu-prof --import tsx` to profile the clients too).
 * Subjects live under a root unique to this run; every connection and child is closed.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClient, createNatsTransport } from '@bosun/bus';
import { connect } from '@nats-io/transport-node';
import moleculer from 'moleculer';
import { echoService, PAYLOAD } from './echo-service.js';

const args = process.argv.slice(2);
const numberArg = (name: string, fallback: number) => {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return raw ? Number(raw) : fallback;
};
const duration = numberArg('duration', 5);
const rounds = numberArg('rounds', 3);
const inflight = numberArg('inflight', 32);
const warmup = numberArg('warmup', 2);
const profile = args.includes('--profile');
const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const root = `bench_${randomBytes(4).toString('hex')}`;
const allContenders = ['bosun', 'raw', 'raw-no-traces', 'moleculer'] as const;
type Kind = (typeof allContenders)[number];
// --only=bosun: one contender (for profiling its client and responder without the others' samples).
const only = args.find((a) => a.startsWith('--only='))?.slice(7);
const contenders: readonly Kind[] = only
  ? allContenders.filter((k) => k === only || (only === 'raw-no-traces' && k === 'raw'))
  : allContenders;
const LABEL: Record<Kind, string> = {
  bosun: 'bosun (serveRpc + createClient)',
  raw: 'raw nc.request',
  'raw-no-traces': 'raw nc.request, noAsyncTraces',
  moleculer: 'Moleculer 0.15.2 (NATS transporter)',
};

interface Contender {
  child: ChildProcess;
  call(): Promise<{ text: string }>;
  close(): Promise<void>;
}

async function fork_(kind: Kind): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [kind, root], {
    execArgv: [
      '--import',
      'tsx',
      ...(profile
        ? ['--cpu-prof', `--cpu-prof-dir=${fileURLToPath(new URL('./profiles/', import.meta.url))}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within 30 s`)), 30_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code} before serving`)));
  });
  return child;
}

async function client(kind: Kind): Promise<Omit<Contender, 'child'>> {
  if (kind === 'bosun') {
    const transport = await createNatsTransport({ servers, root, name: 'bench-client-bosun' });
    const echo = createClient<typeof echoService>(transport, 'echo', { definition: echoService });
    return { call: () => echo.echo(PAYLOAD), close: () => transport.close() };
  }
  if (kind === 'raw' || kind === 'raw-no-traces') {
    // noAsyncTraces: nats.js then skips the Error objects (stack captures) it makes per request.
    const nc = await connect({
      servers,
      name: `bench-client-${kind}`,
      noAsyncTraces: kind === 'raw-no-traces',
    });
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    return {
      call: async () => {
        const reply = await nc.request(`${root}.raw.echo`, encoder.encode(JSON.stringify(PAYLOAD)), {
          timeout: 5000,
        });
        return JSON.parse(decoder.decode(reply.data)) as { text: string };
      },
      close: () => nc.drain(),
    };
  }
  const broker = new moleculer.ServiceBroker({
    namespace: root,
    nodeID: `client-${process.pid}`,
    transporter: servers,
    logger: false,
    requestTimeout: 5000,
  });
  await broker.start();
  await broker.waitForServices('echo', 10_000);
  return { call: () => broker.call('echo.echo', PAYLOAD), close: () => broker.stop() };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

interface Sample {
  rate: number;
  latencies: number[];
}

/** `inflight` loops, each one call at a time, until `seconds` have passed. */
async function load(c: Contender, seconds: number): Promise<Sample> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const t = process.hrtime.bigint();
      const reply = await c.call();
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (reply.text !== PAYLOAD.text) throw new Error(`wrong echo: ${JSON.stringify(reply)}`);
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: latencies.length / elapsed, latencies };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]) => quantile(xs, 0.5);

const running = new Map<Kind, Contender>();
try {
  for (const kind of contenders) {
    // Both raw clients call the same raw responder.
    const child = kind === 'raw-no-traces' ? running.get('raw')!.child : await fork_(kind);
    running.set(kind, { child, ...(await client(kind)) });
  }
  for (const kind of contenders) await load(running.get(kind)!, warmup);
  const samples = new Map<Kind, Sample[]>(contenders.map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const kind of order) {
      const sample = await load(running.get(kind)!, duration);
      samples.get(kind)!.push(sample);
      process.stderr.write(
        `round ${round + 1}/${rounds} ${kind}: ${Math.round(sample.rate)} calls/s, p50 ${median(sample.latencies).toFixed(2)} ms\n`,
      );
    }
  }

  const rate = (k: Kind) => median(samples.get(k)!.map((s) => s.rate));
  const all = (k: Kind) => samples.get(k)!.flatMap((s) => s.latencies);
  const lines = [
    `### RPC: echo over NATS, ${inflight} in flight, bosun vs raw NATS vs Moleculer (${new Date().toISOString()})`,
    '',
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, nproc ${os.availableParallelism()}, Node ${process.version}, ${os.platform()} ${os.release()}; NATS server on loopback.`,
    `Load: ${inflight} concurrent callers in one client process, responder in its own process, ${rounds} rounds x ${duration} s per contender after a ${warmup} s warm-up, order alternating; calls/s is the median of the rounds, latency percentiles over all calls.`,
    'The machine is shared and noisy (client, responder and nats-server share its cores): compare the ratios within this run, not absolute numbers across runs.',
    '',
    '| contender | calls/s (median) | calls/s per round | p50 ms | p99 ms | bosun is |',
    '|---|---:|---|---:|---:|---:|',
  ];
  for (const kind of contenders) {
    const r = rate(kind);
    const ratio =
      kind === 'bosun' || !contenders.includes('bosun') ? '—' : `${(rate('bosun') / r).toFixed(2)}x this`;
    lines.push(
      `| ${LABEL[kind]} | ${Math.round(r)} | ${samples
        .get(kind)!
        .map((s) => Math.round(s.rate))
        .join(
          ', ',
        )} | ${median(all(kind)).toFixed(2)} | ${quantile(all(kind), 0.99).toFixed(2)} | ${ratio} |`,
    );
  }
  if (contenders.length === allContenders.length) {
    const vsMoleculer = rate('bosun') / rate('moleculer');
    const vsRaw = rate('bosun') / rate('raw');
    lines.push(
      '',
      `Target bosun >= 1.5x Moleculer: ${vsMoleculer >= 1.5 ? 'met' : 'NOT met'} (${vsMoleculer.toFixed(2)}x). Target bosun >= 0.7x raw NATS: ${vsRaw >= 0.7 ? 'met' : 'NOT met'} (${vsRaw.toFixed(2)}x).`,
    );
  }
  console.log(lines.join('\n'));
} finally {
  for (const c of running.values()) {
    await c.close().catch(() => {});
    await stopChild(c.child);
  }
}

/**
 * npm run bench:http [-- --duration=10 --rounds=3 --connections=50 --metrics --profile]
 *
 * Issue 4, Performance: one operation (POST /items, same handler and Zod schemas) served
 * by bosun's HTTP transport vs a bare Fastify 5 route with @fastify/type-provider-zod.
 * Each contender runs in its own child process; autocannon runs here. After a warm-up,
 * every round measures each contender for a fixed duration, alternating the order, and the
 * table reports medians. Target: bosun >= 0.9x bare Fastify requests/s.
 * `--metrics` adds bosun with a Prometheus registry; `--profile` writes V8 CPU profiles
 * of the server processes to bench/http/profiles/.
 * Loopback only; every child is stopped before exit.
 */
import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { REQUEST_BODY } from './item-service.js';

const args = process.argv.slice(2);
const numberArg = (name: string, fallback: number) => {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return raw ? Number(raw) : fallback;
};
const duration = numberArg('duration', 10);
const rounds = numberArg('rounds', 3);
const connections = numberArg('connections', 50);
const warmup = numberArg('warmup', 3);
const profile = args.includes('--profile');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const contenders = ['bosun', ...(args.includes('--metrics') ? ['bosun-metrics'] : []), 'fastify'].filter(
  (k) => !only || only.includes(k) || k === 'fastify',
);
const BASELINE = 'fastify';

interface Server {
  child: ChildProcess;
  url: string;
}

async function startServer(kind: string): Promise<Server> {
  const profileDir = fileURLToPath(new URL('./profiles/', import.meta.url));
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [kind], {
    execArgv: ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within 30 s`)), 30_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve((m as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code} before listening`)));
  });
  return { child, url: `http://127.0.0.1:${port}/items` };
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.send('stop');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

interface Sample {
  rps: number;
  total: number;
  p50: number;
  p99: number;
}

async function load(url: string, seconds: number): Promise<Sample> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: REQUEST_BODY,
  });
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(
      `${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`,
    );
  }
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const servers = new Map<string, Server>();
try {
  for (const kind of contenders) servers.set(kind, await startServer(kind));
  for (const kind of contenders) {
    process.stderr.write(`warm-up ${kind} (${warmup} s)\n`);
    await load(servers.get(kind)!.url, warmup);
  }
  const samples = new Map<string, Sample[]>(contenders.map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const kind of order) {
      const sample = await load(servers.get(kind)!.url, duration);
      samples.get(kind)!.push(sample);
      process.stderr.write(
        `round ${round + 1}/${rounds} ${kind}: ${Math.round(sample.rps)} req/s (${sample.total} requests), p50 ${sample.p50} ms, p99 ${sample.p99} ms\n`,
      );
    }
  }

  const base = median(samples.get(BASELINE)!.map((s) => s.rps));
  const lines = [
    `### HTTP: one operation, bosun vs bare Fastify (${new Date().toISOString()})`,
    '',
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, nproc ${os.availableParallelism()}, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Load: autocannon, ${connections} connections, POST /items (${REQUEST_BODY.length}-byte JSON body), ${rounds} rounds x ${duration} s per contender after a ${warmup} s warm-up, order alternating; medians.`,
    'The machine is shared and noisy (autocannon and the server share its cores): compare the ratios within this run, not absolute numbers across runs.',
    '',
    '| contender | req/s (median) | req/s per round | p50 ms | p99 ms | vs bare Fastify |',
    '|---|---:|---|---:|---:|---:|',
  ];
  for (const kind of contenders) {
    const s = samples.get(kind)!;
    const rps = median(s.map((x) => x.rps));
    lines.push(
      `| ${kind} | ${Math.round(rps)} | ${s.map((x) => Math.round(x.rps)).join(', ')} | ${median(s.map((x) => x.p50))} | ${median(s.map((x) => x.p99))} | ${(rps / base).toFixed(2)}x |`,
    );
  }
  const ratio = median(samples.get('bosun')!.map((x) => x.rps)) / base;
  lines.push(
    '',
    `Target bosun >= 0.90x bare Fastify: ${ratio >= 0.9 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x).`,
  );
  console.log(lines.join('\n'));
} finally {
  for (const server of servers.values()) await stopServer(server);
}

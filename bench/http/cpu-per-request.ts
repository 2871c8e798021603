/**
 * npx tsx bench/http/cpu-per-request.ts [-- --requests=40000 --rounds=3 --only=bosun,fastify]
 *
 * Server CPU (user + system, from /proc/<pid>/stat) per request, over a fixed number of
 * requests per round after a 20,000-request warm-up, alternating the order. On a shared
 * machine this is steadier than requests/s, which also depends on how much CPU autocannon and
 * the neighbours get: use it to see what a change to the hot path saves. Linux only.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { REQUEST_BODY } from './item-service.js';

const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const requests = Number(arg('requests') ?? 40_000);
const rounds = Number(arg('rounds') ?? 3);
const kinds = (arg('only') ?? 'bosun,fastify').split(',');
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** Seconds of CPU the process has used (utime + stime). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function start(kind: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [kind], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve((m as { port: number }).port)),
  );
  return { child, url: `http://127.0.0.1:${port}/items` };
}

const load = (url: string, amount: number) =>
  autocannon({
    url,
    connections: 50,
    amount,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: REQUEST_BODY,
  });

const servers = new Map<string, { child: ChildProcess; url: string }>();
try {
  for (const kind of kinds) servers.set(kind, await start(kind));
  for (const kind of kinds) await load(servers.get(kind)!.url, 20_000);
  const samples = new Map<string, number[]>(kinds.map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
      const { child, url } = servers.get(kind)!;
      const before = cpuSeconds(child.pid!);
      const result = await load(url, requests);
      const us = ((cpuSeconds(child.pid!) - before) * 1e6) / result.requests.total;
      samples.get(kind)!.push(us);
      console.log(`round ${round + 1}/${rounds} ${kind}: ${us.toFixed(1)} us CPU per request`);
    }
  }
  for (const [kind, xs] of samples) {
    const sorted = [...xs].sort((a, b) => a - b);
    console.log(`${kind}: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} us CPU per request`);
  }
} finally {
  for (const { child } of servers.values()) child.send('stop');
}

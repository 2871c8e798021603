/**
 * npm run bench:mcp [-- --calls=2000 --warmup=200 --rounds=4]
 *
 * Issue 4, Performance: one MCP tool call (createItem, same handler and Zod schemas) over
 * Streamable HTTP with the SDK's own Client, against bosun's mountMcp and against a bare
 * McpServer with the same tool, both stateful and hosted on Fastify in their own child
 * process. Calls are sequential; each contender gets `calls` measured calls after a warm-up,
 * split into rounds that alternate the order. Reports median and p99 latency.
 * Target: bosun median <= 1.1x the bare server's.
 * Loopback only; clients close their sessions and every child is stopped before exit.
 */
import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const args = process.argv.slice(2);
const numberArg = (name: string, fallback: number) => {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return raw ? Number(raw) : fallback;
};
const calls = numberArg('calls', 2000);
const warmup = numberArg('warmup', 200);
const rounds = numberArg('rounds', 4);
const contenders = ['bosun', 'bare'] as const;
type Kind = (typeof contenders)[number];
const ARGS = { name: 'pen', tags: ['blue', 'office'], quantity: 3 };

interface Contender {
  child: ChildProcess;
  client: Client;
}

async function start(kind: Kind): Promise<Contender> {
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [kind], {
    execArgv: ['--import', 'tsx'],
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
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  return { child, client };
}

async function stop({ child, client }: Contender): Promise<void> {
  await client.close().catch(() => {});
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function callMany(client: Client, n: number, into?: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    const result = await client.callTool({ name: 'createItem', arguments: ARGS });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.isError || !result.structuredContent)
      throw new Error(`call failed: ${JSON.stringify(result)}`);
    into?.push(ms);
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const running = new Map<Kind, Contender>();
try {
  for (const kind of contenders) running.set(kind, await start(kind));
  for (const kind of contenders) await callMany(running.get(kind)!.client, warmup);
  const latencies = new Map<Kind, number[]>(contenders.map((k) => [k, []]));
  const perRound = Math.ceil(calls / rounds);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const kind of order) {
      const before = latencies.get(kind)!.length;
      await callMany(running.get(kind)!.client, perRound, latencies.get(kind)!);
      const mine = latencies.get(kind)!.slice(before);
      process.stderr.write(
        `round ${round + 1}/${rounds} ${kind}: median ${quantile(mine, 0.5).toFixed(3)} ms\n`,
      );
    }
  }

  const stats = (k: Kind) => {
    const xs = latencies.get(k)!;
    return { n: xs.length, p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) };
  };
  const base = stats('bare');
  const lines = [
    `### MCP: one tool call over Streamable HTTP, bosun vs bare McpServer (${new Date().toISOString()})`,
    '',
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, nproc ${os.availableParallelism()}, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Load: the SDK's Client (@modelcontextprotocol/sdk 1.32.2), one stateful session per contender, sequential tools/call, ${warmup} warm-up calls then ${perRound * rounds} measured in ${rounds} rounds, order alternating.`,
    'The machine is shared and noisy: compare the ratios within this run, not absolute numbers across runs.',
    '',
    '| contender | calls | median ms | p99 ms | median vs bare | p99 vs bare |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const kind of contenders) {
    const s = stats(kind);
    lines.push(
      `| ${kind === 'bare' ? 'bare McpServer' : 'bosun mountMcp'} | ${s.n} | ${s.p50.toFixed(3)} | ${s.p99.toFixed(3)} | ${(s.p50 / base.p50).toFixed(2)}x | ${(s.p99 / base.p99).toFixed(2)}x |`,
    );
  }
  const ratio = stats('bosun').p50 / base.p50;
  lines.push(
    '',
    `Target bosun median <= 1.10x bare: ${ratio <= 1.1 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x).`,
  );
  console.log(lines.join('\n'));
} finally {
  for (const c of running.values()) await stop(c);
}

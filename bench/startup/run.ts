/**
 * Startup: time from spawn to the first 200 from /livez, for the hello example as a
 * bundle (`node dist/main.js`, what `npm start` and the Dockerfile run), under tsx
 * (`npm run dev`), and for a bare node:http server answering /livez (the floor: Node's
 * own boot). Issue 2 asks for /livez within 300 ms of process start. Medians of N runs;
 * run it on a quiet machine, and read the ratios.
 *
 *   npm run bench:startup [-- --runs 9]
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const bare = join(tmpdir(), 'bosun-bench-bare-livez.mjs');
writeFileSync(
  bare,
  `import { createServer } from 'node:http';
createServer((req, res) => { res.writeHead(200); res.end('{"status":"ok"}'); }).listen(Number(process.env.HEALTH_PORT));
process.on('SIGTERM', () => process.exit(0));`,
);

async function timeToLivez(command: string[], port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port + 1),
      HEALTH_PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    while (performance.now() - started < 15_000) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/livez`);
        if (res.status === 200) return performance.now() - started;
      } catch {}
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`${command.join(' ')}: no /livez within 15 s`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

execFileSync('npm', ['run', 'build', '-w', 'examples/hello'], { cwd: root, stdio: 'ignore' });
const contenders: Array<[string, string[]]> = [
  ['bare node:http (floor)', [process.execPath, bare]],
  ['hello, bundle (node dist/main.js)', [process.execPath, 'examples/hello/dist/main.js']],
  ['hello, tsx (src/main.ts)', [process.execPath, '--import', 'tsx', 'examples/hello/src/main.ts']],
];
const results: Array<[string, number]> = [];
for (const [name, command] of contenders) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timeToLivez(command, 9400 + i * 2));
  results.push([name, median(samples)]);
}
const floor = results[0]![1];
console.log(`\n### Startup: spawn -> first /livez 200 (median of ${runs})\n`);
console.log(
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.versions.node}; shared machine: read the ratios.\n`,
);
console.log('| process | ms | x floor |\n| --- | ---: | ---: |');
for (const [name, ms] of results) console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / floor).toFixed(2)} |`);

/**
 * npm run bench:queue [-- --quick] [--only=W1,W3] [--libs=bosun,graphile-worker,pg-boss]
 *
 * Runs workloads W1-W4 (issue 3) and "scale" against bosun (default options),
 * graphile-worker and pg-boss (their best batching options) on the same PostgreSQL
 * (DATABASE_URL), each library and workload in a fresh database that is dropped after.
 * Prints a markdown table with ratios bosun / best peer. Timings are wall clock on a
 * shared machine: compare ratios within one run, not absolute numbers across runs.
 */
import os from 'node:os';
import pg from 'pg';
import type { QueueAdapter } from './adapters/adapter.js';
import { bosunAdapter } from './adapters/bosun.js';
import { graphileAdapter } from './adapters/graphile.js';
import { pgbossAdapter } from './adapters/pgboss.js';
import { fillScale } from './scale.js';

const args = process.argv.slice(2);
// A peer's idle pool connection killed by DROP DATABASE ... FORCE after the workload ended
// surfaces as an unhandled 'error' (57P01); it says nothing about the workload, so ignore it.
process.on('uncaughtException', (error: Error & { code?: string }) => {
  if (error.code === '57P01') return;
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const libs = args
  .find((a) => a.startsWith('--libs='))
  ?.slice(7)
  .split(',');
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 1);
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sizes = quick
  ? { w1: 2000, w2: 20_000, w3: 10_000, w4: 200, archived: 100_000, future: 10_000 }
  : { w1: 10_000, w2: 100_000, w3: 50_000, w4: 1000, archived: 1_000_000, future: 100_000 };

const factories: Record<string, () => QueueAdapter> = {
  bosun: () => bosunAdapter(),
  'graphile-worker': () => graphileAdapter(),
  'pg-boss': () => pgbossAdapter(),
};
const libraries = Object.keys(factories).filter((l) => !libs || libs.includes(l));

function urlFor(name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: urlFor('postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs `fn` with a fresh database for one library and workload, dropped afterwards. */
async function withDatabase<T>(label: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `bench_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}`;
  await admin((c) =>
    c
      .query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      .then(() => c.query(`CREATE DATABASE "${name}"`)),
  );
  try {
    return await fn(urlFor(name));
  } finally {
    // pool.end() resolves before sockets close; give them a moment before forcing the drop.
    await new Promise((r) => setTimeout(r, 300));
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

async function vacuum(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('VACUUM ANALYZE');
  await c.end();
}

function until(check: () => boolean, timeoutMs = 600_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('workload timed out'));
      setTimeout(tick, 2);
    };
    tick();
  });
}

async function w1(make: () => QueueAdapter, lib: string): Promise<number> {
  return withDatabase(`${lib}_w1`, async (url) => {
    const q = make();
    await q.setup(url);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < sizes.w1) await q.sendOne({ i: next++ });
      }),
    );
    const rate = sizes.w1 / ((performance.now() - started) / 1000);
    await q.close();
    return rate;
  });
}

async function w2(make: () => QueueAdapter, lib: string): Promise<number> {
  return withDatabase(`${lib}_w2`, async (url) => {
    const q = make();
    await q.setup(url);
    const started = performance.now();
    for (let b = 0; b < sizes.w2; b += 1000) {
      await q.sendMany(Array.from({ length: 1000 }, (_, k) => ({ i: b + k })));
    }
    const rate = sizes.w2 / ((performance.now() - started) / 1000);
    await q.close();
    return rate;
  });
}

async function process50k(q: QueueAdapter, url: string, n: number): Promise<number> {
  for (let b = 0; b < n; b += 1000) await q.sendMany(Array.from({ length: 1000 }, (_, k) => ({ i: b + k })));
  await vacuum(url);
  let handled = 0;
  const started = performance.now();
  await q.work(() => {
    handled++;
  });
  await until(() => handled >= n);
  const rate = n / ((performance.now() - started) / 1000);
  await q.stopWork();
  return rate;
}

async function w3(make: () => QueueAdapter, lib: string): Promise<number> {
  return withDatabase(`${lib}_w3`, async (url) => {
    const q = make();
    await q.setup(url);
    const rate = await process50k(q, url, sizes.w3);
    await q.close();
    return rate;
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function w4(make: () => QueueAdapter, lib: string): Promise<{ p50: number; p95: number; p99: number }> {
  return withDatabase(`${lib}_w4`, async (url) => {
    const q = make();
    await q.setup(url);
    const latencies: number[] = [];
    await q.work((data) => {
      if (data.t !== undefined) latencies.push(performance.now() - data.t);
    });
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < sizes.w4; i++) {
      void q.sendOne({ i, t: performance.now() });
      await new Promise((r) => setTimeout(r, 10));
    }
    await until(() => latencies.length >= sizes.w4, 30_000).catch(() => {});
    await q.close();
    latencies.sort((a, b) => a - b);
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
  });
}

async function scale(): Promise<{ baseline: number; loaded: number }> {
  const baseline = await w3(() => bosunAdapter(), 'bosun_scale0');
  const loaded = await withDatabase('bosun_scale', async (url) => {
    const q = bosunAdapter();
    await q.setup(url);
    await fillScale(url, sizes.archived, sizes.future);
    const rate = await process50k(q, url, sizes.w3);
    await q.close();
    return rate;
  });
  return { baseline, loaded };
}

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

async function main(): Promise<void> {
  const want = (w: string) => !only || only.includes(w);
  const rows: string[] = [];
  const peers = libraries.filter((l) => l !== 'bosun');
  const header = `| workload | ${libraries.join(' | ')} | bosun ÷ best peer | target |`;
  const sep = `|---|${libraries.map(() => '---:').join('|')}|---:|---|`;
  const throughput = async (w: string, title: string, fn: typeof w1, target: string, peerFilter?: string) => {
    if (!want(w)) return;
    // Rounds rotate the order of libraries; the table shows the median per library.
    const samples: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round++) {
      const order = libraries.map((_, k) => libraries[(k + round) % libraries.length]!);
      for (const lib of order) {
        const rate = await fn(factories[lib]!, lib);
        samples[lib] = [...(samples[lib] ?? []), rate];
        process.stderr.write(`${w} round ${round + 1} ${lib}: ${fmt(rate)} jobs/s\n`);
      }
    }
    const result: Record<string, number> = {};
    for (const lib of libraries) {
      const sorted = [...samples[lib]!].sort((a, b) => a - b);
      result[lib] = sorted[Math.floor(sorted.length / 2)]!;
    }
    const compared = peers.filter((p) => !peerFilter || p === peerFilter);
    const best = Math.max(...compared.map((p) => result[p] ?? 0));
    const ratio = result.bosun !== undefined && best > 0 ? `${(result.bosun / best).toFixed(2)}×` : 'n/a';
    rows.push(
      `| ${title} | ${libraries.map((l) => `${fmt(result[l]!)}/s`).join(' | ')} | ${ratio} | ${target} |`,
    );
  };
  await throughput('W1', `W1 ${fmt(sizes.w1)} single sends, 32 in flight`, w1, '≥ 4× best peer');
  await throughput(
    'W2',
    `W2 ${fmt(sizes.w2)} sends in batches of 1,000`,
    w2,
    '≥ 1.3× graphile-worker',
    'graphile-worker',
  );
  await throughput(
    'W3',
    `W3 process ${fmt(sizes.w3)} pre-loaded no-op jobs`,
    w3,
    '≥ 1.3× graphile-worker',
    'graphile-worker',
  );
  if (want('W4')) {
    const lat: Record<string, { p50: number; p95: number; p99: number }> = {};
    for (const lib of libraries) {
      lat[lib] = await w4(factories[lib]!, lib);
      process.stderr.write(`W4 ${lib}: ${JSON.stringify(lat[lib])}\n`);
    }
    if (libraries.includes('bosun')) {
      lat['bosun (sender in another queue instance)'] = await w4(
        () => bosunAdapter({ separateSender: true }),
        'bosun_x',
      );
    }
    const cell = (l: string) =>
      lat[l] ? `${ms(lat[l].p50)} / ${ms(lat[l].p95)} / ${ms(lat[l].p99)} ms` : 'n/a';
    rows.push(
      `| W4 send→start p50 / p95 / p99, 100 jobs/s | ${libraries.map(cell).join(' | ')} | — | p50 ≤ 1.5 ms, p99 ≤ 4 ms |`,
    );
    if (lat['bosun (sender in another queue instance)']) {
      rows.push(
        `| W4 bosun, wake-up through NOTIFY (separate instances) | ${cell('bosun (sender in another queue instance)')} | ${libraries
          .slice(1)
          .map(() => '')
          .join(' | ')} | — | (informative) |`,
      );
    }
  }
  if (want('scale') && libraries.includes('bosun')) {
    const s = await scale();
    const drop = ((s.baseline - s.loaded) / s.baseline) * 100;
    rows.push(
      `| scale: W3 with ${fmt(sizes.archived)} completed retained + ${fmt(sizes.future)} future jobs | ${fmt(s.loaded)}/s (clean ${fmt(s.baseline)}/s) | ${libraries
        .slice(1)
        .map(() => '')
        .join(' | ')} | drop ${drop.toFixed(1)}% | ≤ 20% drop |`,
    );
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const server = await admin((c) => c.query('SHOW server_version')).then((r) => r.rows[0].server_version);
  process.stdout.write(
    `\n${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} vCPU (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${server}${quick ? ', --quick sizes' : ''}${rounds > 1 ? `, throughput = median of ${rounds} rounds` : ''}; shared, noisy machine.\n\n${header}\n${sep}\n${rows.join('\n')}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

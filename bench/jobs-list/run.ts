/**
 * The registry's job list at depth: 100,000 jobs in one queue (95,000 finished, in the
 * archive; 5,000 waiting, in the hot table), walked page by page through the registry's
 * `listJobs` operation over REST (`GET /jobs?queue=&cursor=&limit=50`, keyset paging), and
 * the same pages with OFFSET in the same run. Issue 7 asks for under 200 ms per page.
 *
 * Contenders (same PostgreSQL, same query shape — live UNION ALL archive, newest first):
 * - `keyset via REST`: the registry in this process (createApp, in-process bus), fetch over loopback;
 * - `keyset SQL`: the queue's listJobs statement alone (what the operation costs without HTTP);
 * - `OFFSET SQL`: that statement with `OFFSET page*50` instead of `id < cursor` — what a
 *   naive dashboard does.
 * Pages are timed one at a time (sequential); p50/p99 over all pages and over the deepest tenth.
 *
 *   npm run bench:jobs-list [-- --jobs 100000 --limit 50 --offset-every 5]
 */
import { createQueue } from '@bosun/queue';
import { createApp, loadAppConfig } from '@bosun/runtime';
import pg from 'pg';
import pino from 'pino';
import { createRegistry } from '../../services/registry/src/service.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TOTAL = arg('jobs', 100_000);
const LIMIT = arg('limit', 50);
const OFFSET_EVERY = arg('offset-every', 5);
const LIVE = Math.round(TOTAL * 0.05);
const QUEUE = 'bench-list';
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `bosun_bench_jobs_list_${process.pid}`;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (ms: number) => ms.toFixed(2);

async function seed(url: string) {
  const queue = createQueue({ db: url });
  await queue.start();
  const finished = TOTAL - LIVE;
  let sent = 0;
  while (sent < finished) {
    const n = Math.min(1000, finished - sent);
    await queue.sendBatch(
      QUEUE,
      Array.from({ length: n }, (_, i) => ({ data: { i: sent + i, payload: 'x'.repeat(64) } })),
    );
    sent += n;
  }
  const done = new Promise<void>((resolve) => {
    let count = 0;
    queue.on('job:completed', () => {
      if (++count === finished) resolve();
    });
  });
  await queue.work(QUEUE, { concurrency: 4 }, async () => ({ ok: true }));
  await done;
  await queue.stop({ timeoutMs: 5000 });
  // The waiting tail: sent with no worker, so it stays in the hot table.
  const again = createQueue({ db: url });
  await again.start();
  for (let i = 0; i < LIVE; i += 1000) {
    await again.sendBatch(
      QUEUE,
      Array.from({ length: Math.min(1000, LIVE - i) }, (_, k) => ({ data: { i: finished + i + k } })),
    );
  }
  await again.stop();
}

const COLUMNS =
  'id, name, state, priority, attempt, retry_limit, singleton_key, dead_letter, origin, created_at, started_at, progress, last_error';
const KEYSET = `SELECT * FROM (
  (SELECT ${COLUMNS}, run_at, NULL::timestamptz AS finished_at FROM bosun_queue.job
    WHERE name = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3)
  UNION ALL
  (SELECT ${COLUMNS}, NULL::timestamptz, finished_at FROM bosun_queue.job_archive
    WHERE name = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3)
) page ORDER BY id DESC LIMIT $3`;
const OFFSET = `SELECT * FROM (
  (SELECT ${COLUMNS}, run_at, NULL::timestamptz AS finished_at FROM bosun_queue.job
    WHERE name = $1 ORDER BY id DESC LIMIT $2::int + $3::int)
  UNION ALL
  (SELECT ${COLUMNS}, NULL::timestamptz, finished_at FROM bosun_queue.job_archive
    WHERE name = $1 ORDER BY id DESC LIMIT $2::int + $3::int)
) page ORDER BY id DESC OFFSET $3::int LIMIT $2::int`;

function summary(name: string, times: number[]) {
  const deep = times.slice(Math.floor(times.length * 0.9));
  return {
    name,
    pages: times.length,
    p50: pct(times, 50),
    p99: pct(times, 99),
    max: Math.max(...times),
    deepP50: pct(deep, 50),
    deepP99: pct(deep, 99),
  };
}

await admin(`CREATE DATABASE "${dbName}"`);
const url = withDatabase(serverUrl, dbName);
try {
  const seedStart = performance.now();
  await seed(url);
  console.error(`seeded ${TOTAL} jobs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const registry = createRegistry();
  const config = loadAppConfig([registry.service], {
    DATABASE_URL: url,
    PORT: '0',
    HEALTH_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  });
  const app = await createApp({
    services: [registry.service],
    config,
    log: pino({ level: 'warn' }),
    extensions: { registry: registry.extension },
  });
  await app.start();
  const api = app.http.get('registry')!.url!;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const rest: number[] = [];
  const keysetSql: number[] = [];
  const offsetSql: number[] = [];
  const cursors: Array<string | null> = [null];
  let pages = 0;
  try {
    await pool.query('ANALYZE bosun_queue.job; ANALYZE bosun_queue.job_archive');

    // Warm-up: a few pages each way, so the first timed page is not a cold cache.
    for (let i = 0; i < 20; i++) {
      await fetch(`${api}/jobs?queue=${QUEUE}&limit=${LIMIT}`).then((r) => r.text());
      await pool.query(OFFSET, [QUEUE, LIMIT, i * LIMIT]);
    }

    let cursor: string | null = null;
    let seen = 0;
    do {
      const t = performance.now();
      const res = await fetch(
        `${api}/jobs?queue=${QUEUE}&limit=${LIMIT}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = (await res.json()) as { jobs: unknown[]; nextCursor: string | null };
      rest.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`listJobs answered ${res.status}`);
      seen += body.jobs.length;
      cursor = body.nextCursor;
      cursors.push(cursor);
    } while (cursor);
    if (seen !== TOTAL) throw new Error(`the keyset walk saw ${seen} jobs, expected ${TOTAL}`);

    pages = cursors.length - 1;
    for (let page = 0; page < pages; page++) {
      let t = performance.now();
      await pool.query(KEYSET, [QUEUE, cursors[page], LIMIT]);
      keysetSql.push(performance.now() - t);
      if (page % OFFSET_EVERY === 0) {
        t = performance.now();
        await pool.query(OFFSET, [QUEUE, LIMIT, page * LIMIT]);
        offsetSql.push(performance.now() - t);
      }
    }
  } finally {
    await pool.end();
    await app.stop();
  }

  const rows = [
    summary('keyset via REST (listJobs)', rest),
    summary('keyset SQL (same statement)', keysetSql),
    summary(`OFFSET SQL (every ${OFFSET_EVERY}th page)`, offsetSql),
  ];
  const when = new Date().toISOString();
  const lines = [
    `### Job list: ${TOTAL.toLocaleString('en')} jobs, ${LIMIT} per page, keyset vs OFFSET (${when})`,
    '',
    `${pages} pages (${TOTAL - LIVE} finished in the archive, ${LIVE} waiting in the hot table), timed one at a time. "deep" = the last tenth of the pages.`,
    '',
    '| contender | pages | p50 ms | p99 ms | max ms | deep p50 ms | deep p99 ms |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.pages} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.deepP50)} | ${fmt(r.deepP99)} |`,
    ),
    '',
    `Target (issue 7): under 200 ms per page. Deep pages, OFFSET / keyset SQL p50: ${(rows[2]!.deepP50 / rows[1]!.deepP50).toFixed(1)}x.`,
  ];
  console.log(lines.join('\n'));
} finally {
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
}

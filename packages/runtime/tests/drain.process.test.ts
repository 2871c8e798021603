/**
 * READY_GATES_INTAKE end to end, through runService() in a real process on a real
 * PostgreSQL: SIGTERM with a job running.
 */
import { fileURLToPath } from 'node:url';
import { spawnService, useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { describe, expect, test } from 'vitest';

const entry = fileURLToPath(new URL('./fixtures/drain-service.ts', import.meta.url));

describe('draining a service with jobs in flight', () => {
  const db = useTestDatabase({ label: 'drain' });

  function start(drainMs: number) {
    return spawnService({
      entry,
      env: {
        DATABASE_URL: db.url,
        PORT: '0',
        HEALTH_PORT: '0',
        DRAIN_TIMEOUT_MS: String(drainMs),
        LOG_LEVEL: 'info',
      },
    });
  }

  async function enqueue(api: string, ms: number): Promise<string> {
    const res = await fetch(`${api}/work`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: string }).id;
  }

  async function runsOf(id: string): Promise<number[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT attempt FROM drainy.runs WHERE job_id = $1', [id]);
      return rows.map((r) => r.attempt as number);
    } finally {
      await client.end();
    }
  }

  test('a job that finishes within the deadline completes, readyz turns 503 at once, exit 0', async () => {
    const proc = start(8000);
    const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as {
      http: string[];
      health: string;
    };
    const id = await enqueue(serving.http[0]!, 1500);
    await proc.waitForLine(/slow job started/);
    proc.kill('SIGTERM');
    await proc.waitForLine(/"msg":"draining"/);
    // The job still runs for about a second, so the health server is still up: not ready.
    const ready = await fetch(`${serving.health}/readyz`);
    expect(ready.status).toBe(503);
    expect((await proc.exited).code).toBe(0);
    expect(await runsOf(id)).toEqual([1]);
  });

  test('a job still running at the deadline is released uncounted, reported, and the next process finishes it', async () => {
    const first = start(500);
    const serving = JSON.parse(await first.waitForLine(/"msg":"serving"/, 30_000)) as { http: string[] };
    const id = await enqueue(serving.http[0]!, 4000);
    await first.waitForLine(/slow job started/);
    first.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(1);
    expect(first.stdout).toMatch(/abandoned/);
    expect(first.stdout).toContain('job:slow');
    expect(await runsOf(id)).toEqual([]);

    // retryLimit is 0: had the released attempt counted, the job would be failed now.
    const second = start(8000);
    await second.waitForLine(/"msg":"serving"/, 30_000);
    const started = JSON.parse(await second.waitForLine(/slow job started/, 15_000)) as { attempt: number };
    expect(started.attempt).toBe(1);
    for (let i = 0; i < 100 && (await runsOf(id)).length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await runsOf(id)).toEqual([1]);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});

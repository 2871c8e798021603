/**
 * JOB_OUTLIVES_CALL end to end: a long-running MCP tool called through the SDK's own
 * Client over Streamable HTTP, on a service run by runService() in a real process on a
 * real PostgreSQL. The server is SIGKILLed while the job runs; a new process expires the
 * dead attempt, runs the job again, and serves its result at `bosun://jobs/{id}`. Killed after
 * the call returned its handle, or while the call still waits: then the SDK's client keeps
 * waiting (until its own timeout) and the handle comes from the first progress notification
 * (JOB_HANDLE_FIRST).
 */
import { fileURLToPath } from 'node:url';
import { spawnService, useTestDatabase } from '@bosun/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, onTestFinished, test } from 'vitest';

const entry = fileURLToPath(new URL('./fixtures/long-job-service.ts', import.meta.url));

interface JobResource {
  id: string;
  state: string;
  progress: { value: number; message?: string } | null;
  output: unknown;
  error: unknown;
}

describe('a long-running MCP tool across a server crash', () => {
  const db = useTestDatabase({ label: 'long_running' });

  async function start() {
    const proc = spawnService({
      entry,
      env: { DATABASE_URL: db.url, PORT: '0', HEALTH_PORT: '0', LOG_LEVEL: 'info', DRAIN_TIMEOUT_MS: '500' },
    });
    const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as { mcp: string[] };
    const client = new Client({ name: 'long-running-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(serving.mcp[0]!)));
    onTestFinished(() => client.close().catch(() => {}));
    return { proc, client };
  }

  async function readJob(client: Client, uri: string): Promise<JobResource> {
    const read = await client.readResource({ uri });
    expect(read.contents[0]).toMatchObject({ uri, mimeType: 'application/json' });
    return JSON.parse((read.contents[0] as { text: string }).text) as JobResource;
  }

  test('the server is killed while the job runs; after a restart the job completes and its resource returns the result', async () => {
    const first = await start();
    const result = (await first.client.callTool({
      name: 'render',
      arguments: { title: 'Q3' },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const handle = result.structuredContent as { jobId: string; state: string; resource: string };
    expect(handle.resource).toBe(`bosun://jobs/${handle.jobId}`);
    expect(handle.state).toBe('active');

    // The job is running in this process and has reported progress through the database.
    await first.proc.waitForLine(/"msg":"render started"/);
    await expect
      .poll(async () => (await readJob(first.client, handle.resource)).progress)
      .toEqual({ value: 10, message: 'rendering Q3' });
    expect((await readJob(first.client, handle.resource)).state).toBe('active');

    first.proc.kill('SIGKILL');
    expect((await first.proc.exited).signal).toBe('SIGKILL');
    const attempts = first.proc.logs().filter((l) => l.msg === 'render started');
    expect(attempts.map((l) => l.attempt)).toEqual([1]);

    const second = await start();
    const restarted = JSON.parse(await second.proc.waitForLine(/"msg":"render started"/, 20_000)) as {
      id: string;
      attempt: number;
    };
    expect(restarted).toMatchObject({ id: handle.jobId, attempt: 2 });
    await expect
      .poll(async () => (await readJob(second.client, handle.resource)).state, { timeout: 20_000 })
      .toBe('completed');
    const job = await readJob(second.client, handle.resource);
    expect(job).toMatchObject({
      id: handle.jobId,
      state: 'completed',
      output: { title: 'Q3', pages: 3, attempt: 2 },
    });
    second.proc.kill('SIGTERM');
    expect((await second.proc.exited).code).toBe(0);
  });

  test('the server is killed while the call is still waiting; the first progress notification told the agent where the result will be, and after a restart it is there', async () => {
    const first = await start();
    let told!: (handle: { jobId: string; resource: string }) => void;
    const handleSeen = new Promise<{ jobId: string; resource: string }>((resolve) => {
      told = resolve;
    });
    const pending = first.client
      .callTool({ name: 'renderAndWait', arguments: { title: 'Q4' } }, undefined, {
        timeout: 60_000,
        onprogress: (p) => {
          const handle = (p as { _meta?: Record<string, unknown> })._meta?.['bosun.dev/job'];
          if (handle) told(handle as { jobId: string; resource: string });
        },
      })
      .then(
        () => 'answered',
        () => 'failed',
      );
    // JOB_HANDLE_FIRST: the agent has the handle although the call will never return.
    const handle = await handleSeen;
    expect(handle.resource).toBe(`bosun://jobs/${handle.jobId}`);
    const started = JSON.parse(await first.proc.waitForLine(/"msg":"render started"/)) as { id: string };
    expect(started.id).toBe(handle.jobId);
    first.proc.kill('SIGKILL');
    await first.proc.exited;

    const second = await start();
    const resource = handle.resource;
    await expect
      .poll(async () => (await readJob(second.client, resource)).state, { timeout: 20_000 })
      .toBe('completed');
    expect(await readJob(second.client, resource)).toMatchObject({
      state: 'completed',
      output: { title: 'Q4', pages: 3, attempt: 2 },
    });
    // The cut-off call never claimed to have an answer.
    expect(await Promise.race([pending, Promise.resolve('still waiting')])).not.toBe('answered');
    second.proc.kill('SIGTERM');
    expect((await second.proc.exited).code).toBe(0);
  });
});

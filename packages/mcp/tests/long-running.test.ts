import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { JOB_META_KEY } from '../src/long-running.js';
import { ERROR_META_KEY } from '../src/tool-result.js';
import { fakeJobs } from './fixtures/fake-jobs.js';
import { startMcp } from './fixtures/harness.js';

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});
async function start(jobs: ReturnType<typeof fakeJobs>) {
  const mcp = await startMcp({ jobs: jobs.port, pollIntervalMs: 5 });
  running.push(mcp);
  return { mcp, client: await mcp.connect() };
}

describe('long-running tools', () => {
  it('enqueue through the handler, stream job progress, and return the output when the job finishes in time', async () => {
    const jobs = fakeJobs();
    const { client } = await start(jobs);
    const seen: number[] = [];
    const notes: Array<{ message?: string; _meta?: Record<string, unknown> }> = [];
    const pending = client.callTool({ name: 'render', arguments: { title: 'Q3' } }, undefined, {
      onprogress: (p) => {
        seen.push(p.progress);
        notes.push(p as (typeof notes)[number]);
      },
    });
    await jobs.subscribed('1');
    expect(jobs.jobs.get('1')).toMatchObject({
      name: 'render-report',
      data: { title: 'Q3' },
      state: 'created',
    });
    jobs.progress('1', 40, 'rendering');
    jobs.progress('1', 20, 'stale report is dropped');
    jobs.progress('1', 90, 'almost');
    jobs.complete('1', { pages: 2 });
    const result = (await pending) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ pages: 2 });
    expect(result._meta?.[JOB_META_KEY]).toEqual({
      jobId: '1',
      state: 'completed',
      resource: 'bosun://jobs/1',
    });
    expect(seen).toEqual([0, 40, 90]);
    // JOB_HANDLE_FIRST: before any wait, the agent learns where the result will be.
    expect(notes[0]).toMatchObject({
      message: 'Job 1 started; its result will be at bosun://jobs/1.',
      _meta: { [JOB_META_KEY]: { jobId: '1', resource: 'bosun://jobs/1' } },
    });
  });

  it('return a job handle when the job outlives waitMs, and the job resource reads it after a server restart', async () => {
    const jobs = fakeJobs();
    const first = await start(jobs);
    const result = (await first.client.callTool({
      name: 'renderLater',
      arguments: { title: 'Q4' },
    })) as CallToolResult;
    expect(result.structuredContent).toEqual({ jobId: '1', state: 'created', resource: 'bosun://jobs/1' });
    const templates = await first.client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain('bosun://jobs/{id}');

    await first.mcp.close();
    jobs.complete('1', { pages: 2 });
    const second = await start(jobs);
    const read = await second.client.readResource({ uri: 'bosun://jobs/1' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual({
      id: '1',
      state: 'completed',
      progress: null,
      output: { pages: 2 },
      error: null,
    });
  });

  it('a failed job is isError with the code of its stored error', async () => {
    const jobs = fakeJobs();
    const { client } = await start(jobs);
    const pending = client.callTool({ name: 'render', arguments: { title: 'Q1' } });
    await jobs.subscribed('1');
    jobs.fail('1', { code: 'DEMO_RENDER_FAILED', status: 422, retryable: false, message: 'no fonts' });
    const result = (await pending) as CallToolResult;
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toBe('DEMO_RENDER_FAILED: no fonts');
    expect(result._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'DEMO_RENDER_FAILED', status: 422 });
  });

  it('a failed job without a code is BOSUN_MCP_JOB_FAILED', async () => {
    const jobs = fakeJobs();
    const { client } = await start(jobs);
    const pending = client.callTool({ name: 'render', arguments: { title: 'Q1' } });
    await jobs.subscribed('1');
    jobs.fail('1', { message: 'boom' });
    const result = (await pending) as CallToolResult;
    expect((result.content[0] as { text: string }).text).toBe('BOSUN_MCP_JOB_FAILED: Job 1 failed: boom');
  });

  it('input is validated before anything is enqueued (INPUT_IS_VALIDATED)', async () => {
    const jobs = fakeJobs();
    const { client } = await start(jobs);
    const result = (await client.callTool({ name: 'render', arguments: { title: '' } })) as CallToolResult;
    expect(result._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'BOSUN_VALIDATION_FAILED' });
    expect(jobs.jobs.size).toBe(0);
  });

  it('a handler that never sends its job is BOSUN_MCP_JOB_NOT_ENQUEUED', async () => {
    const { client } = await start(fakeJobs());
    const result = (await client.callTool({ name: 'forgetful', arguments: {} })) as CallToolResult;
    expect(result._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'BOSUN_MCP_JOB_NOT_ENQUEUED', status: 500 });
  });

  it('an unknown job resource is an error naming BOSUN_MCP_JOB_NOT_FOUND', async () => {
    const { client } = await start(fakeJobs());
    await expect(client.readResource({ uri: 'bosun://jobs/404' })).rejects.toThrow(/BOSUN_MCP_JOB_NOT_FOUND/);
  });

  it('without a jobs port a long-running operation runs as a plain tool and there is no job resource', async () => {
    const mcp = await startMcp();
    running.push(mcp);
    const client = await mcp.connect();
    const result = (await client.callTool({ name: 'render', arguments: { title: 'x' } })) as CallToolResult;
    expect(result.structuredContent).toEqual({ jobId: 'not-the-port' });
    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).not.toContain('bosun://jobs/{id}');
  });
});

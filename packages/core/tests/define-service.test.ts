import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineService } from '../src/definition/define-service.js';
import { job } from '../src/definition/job.js';
import { operation } from '../src/definition/operation.js';
import { type BosunError, isBosunError } from '../src/errors/bosun-error.js';

const noop = operation({ input: z.object({ id: z.string() }), output: z.object({}), handler: () => ({}) });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(isBosunError(error, 'BOSUN_DEFINITION_INVALID')).toBe(true);
    return (error as BosunError).meta?.problems as string[];
  }
  throw new Error('expected defineService to throw');
}

describe('defineService validates at definition time', () => {
  test('a valid definition fills defaults: version, schedules targeting their own job', () => {
    const svc = defineService({
      name: 'billing',
      operations: { getInvoice: { ...noop, http: 'GET /invoices/:id' } },
      jobs: { 'close-month': job({ data: z.object({}), handler: () => {} }) },
      schedules: { 'close-month': { cron: '0 0 1 * *', tz: 'Europe/Berlin' } },
    });
    expect(svc.version).toBe('0.0.0');
    expect(svc.schedules['close-month']?.job).toBe('close-month');
  });

  test('every problem is reported at once, each naming what is wrong', () => {
    const problems = problemsOf(() =>
      defineService({
        name: 'Bad_Name',
        operations: {
          a: { ...noop, http: 'GET /things/:id' },
          b: { ...noop, http: 'GET /things/:other' },
          c: { ...noop, http: 'FETCH things' as never },
          d: { ...noop, http: 'GET /users/:userId' },
        },
        schedules: {
          nightly: { cron: '0 3 * * *', job: 'missing-job' },
          broken: { cron: 'every day', job: 'x' },
        },
      }),
    );
    expect(problems.join('\n')).toMatch(/service name "Bad_Name"/);
    expect(problems.join('\n')).toMatch(/"GET \/things\/:other" is already used by "a"/);
    expect(problems.join('\n')).toMatch(/"FETCH things" must look like/);
    expect(problems.join('\n')).toMatch(/path parameter ":userId" is not a field/);
    expect(problems.join('\n')).toMatch(/schedule "nightly" enqueues job "missing-job"/);
    expect(problems.join('\n')).toMatch(/cron "every day" must have 5 or 6 fields/);
  });

  test('duplicate MCP tool names and resource URIs are refused', () => {
    const problems = problemsOf(() =>
      defineService({
        name: 'dup',
        operations: { a: { ...noop, mcp: { name: 'lookup' } }, b: { ...noop, mcp: { name: 'lookup' } } },
        resources: {
          r1: { uri: 'dup://x/{id}', read: () => ({}) },
          r2: { uri: 'dup://x/{id}', read: () => ({}) },
          r3: { uri: 'no-scheme', read: () => ({}) },
        },
      }),
    );
    expect(problems).toHaveLength(3);
  });

  test('an unknown time zone and a longRunning operation without its job are refused', () => {
    const problems = problemsOf(() =>
      defineService({
        name: 'tz',
        operations: { gen: { ...noop, longRunning: { job: 'nope' } } },
        jobs: { tick: job({ data: z.object({}), handler: () => {} }) },
        schedules: { tick: { cron: '* * * * *', tz: 'Mars/Olympus' } },
      }),
    );
    expect(problems.join('\n')).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(problems.join('\n')).toMatch(/longRunning job "nope"/);
  });
});

import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../src/config/load-config.js';
import { isBosunError } from '../src/errors/bosun-error.js';

const serviceEnv = z.object({
  API_KEY: z.string().min(8),
  FEATURE_X: z.stringbool().default(false),
  WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535),
});

function configError(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isBosunError(error, 'BOSUN_CONFIG_INVALID')) return error;
    throw error;
  }
  throw new Error('expected BOSUN_CONFIG_INVALID');
}

describe('loadConfig', () => {
  test('an empty environment gets bosun defaults', () => {
    expect(loadConfig(undefined, {})).toEqual({
      PORT: 3000,
      HEALTH_PORT: 9000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      DRAIN_TIMEOUT_MS: 10_000,
      NODE_ENV: 'development',
    });
  });

  test("merges the service's schema and coerces ports, numbers and booleans", () => {
    const config = loadConfig(serviceEnv, {
      PORT: '8080',
      HEALTH_PORT: '0',
      API_KEY: 'abcdefgh',
      FEATURE_X: 'false',
      WEBHOOK_PORT: '4000',
      DATABASE_URL: 'postgres://u@localhost:5432/db',
      UNRELATED: 'ignored',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      HEALTH_PORT: 0,
      API_KEY: 'abcdefgh',
      FEATURE_X: false,
      WEBHOOK_PORT: 4000,
    });
    expect(config).not.toHaveProperty('UNRELATED');
  });

  test('an empty string counts as unset, so the default applies', () => {
    expect(loadConfig(undefined, { PORT: '', LOG_LEVEL: '' })).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
    });
  });

  test('CONFIG_LISTS_EVERY_PROBLEM: one error names every invalid or missing variable and what it expects', () => {
    const error = configError(() =>
      loadConfig(serviceEnv, {
        PORT: 'eighty',
        HEALTH_PORT: '70000',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'staging',
        DRAIN_TIMEOUT_MS: '-5',
        FEATURE_X: 'perhaps',
        DATABASE_URL: 'not a url',
      }),
    );
    const bad = [
      'API_KEY',
      'DATABASE_URL',
      'DRAIN_TIMEOUT_MS',
      'FEATURE_X',
      'HEALTH_PORT',
      'LOG_LEVEL',
      'NODE_ENV',
      'PORT',
      'WEBHOOK_PORT',
    ];
    for (const name of bad) expect(error.message).toContain(`${name}:`);
    expect(error.message).toContain('API_KEY: missing');
    expect(error.message).toContain('LOG_LEVEL: invalid; expected one of "fatal"');
    expect(error.message).toContain('PORT: invalid; expected a number');
    expect(
      (error.meta?.variables as Array<{ variable: string }> | undefined)?.map((v) => v.variable),
    ).toEqual(bad);
  });

  test('SECRETS_NEVER_PRINTED: values never appear in the message or meta', () => {
    const secret = 'hunter2-very-secret';
    const error = configError(() =>
      loadConfig(serviceEnv, {
        API_KEY: 'short',
        DATABASE_URL: `mysql://admin:${secret}@db`,
        FEATURE_X: secret,
        WEBHOOK_PORT: secret,
        LOG_LEVEL: secret,
      }),
    );
    const everything = JSON.stringify({ message: error.message, json: error.toJSON() });
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('short');
    expect(error.message).toContain('API_KEY: invalid; expected length >= 8');
  });

  test('REFINEMENTS_SEE_EVERY_VARIABLE: an object-level rule can require a variable in production', () => {
    const withRule = z
      .object({
        NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
        SIGNING_KEY: z.string().optional(),
      })
      .superRefine((env, ctx) => {
        if (env.NODE_ENV === 'production' && !env.SIGNING_KEY)
          ctx.addIssue({
            code: 'custom',
            path: ['SIGNING_KEY'],
            message: 'a key; required when NODE_ENV=production',
          });
      });
    expect(loadConfig(withRule, {}).SIGNING_KEY).toBeUndefined();
    const error = configError(() => loadConfig(withRule, { NODE_ENV: 'production', PORT: '8080' }));
    expect(error.message).toContain(
      'SIGNING_KEY: missing; expected a key; required when NODE_ENV=production',
    );
    expect(loadConfig(withRule, { NODE_ENV: 'production', SIGNING_KEY: 'k' }).PORT).toBe(3000);
  });

  test('REFINEMENTS_SEE_EVERY_VARIABLE: an object-level refinement reads NODE_ENV and is listed with the other problems', () => {
    const refined = z
      .object({ SIGNING_SECRET: z.string().min(16).optional() })
      .refine((env) => (env as { NODE_ENV?: string }).NODE_ENV !== 'production' || !!env.SIGNING_SECRET, {
        path: ['SIGNING_SECRET'],
        message: 'a secret of at least 16 characters (required when NODE_ENV=production)',
        when: () => true,
      });
    expect(loadConfig(refined, { NODE_ENV: 'development' })).toMatchObject({ NODE_ENV: 'development' });
    const error = configError(() => loadConfig(refined, { NODE_ENV: 'production', PORT: 'x' }));
    expect(error.message).toContain(
      'SIGNING_SECRET: missing; expected a secret of at least 16 characters (required when NODE_ENV=production)',
    );
    expect(error.message).toContain('PORT: invalid');
  });
});

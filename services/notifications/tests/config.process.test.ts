/**
 * Configuration as an operator meets it: SECRET_REQUIRED_IN_PRODUCTION refuses to start,
 * naming the variable with every other bad one (and no value); outside production the
 * public development secret signs, with a warning.
 */
import { spawnService, useTestDatabase } from '@bosun/testing';
import { describe, expect, test } from 'vitest';
import { DEV_WEBHOOK_SECRET, verifyWebhookSignature } from '../src/webhook-signature.js';
import { call, entry, startNotifications } from './notifications-process.js';
import { startReceiver } from './webhook-receiver.js';

describe('notifications configuration', () => {
  const db = useTestDatabase({ label: 'notifications_config' });

  test('in production without NOTIFICATIONS_WEBHOOK_SECRET the process exits 1 listing it and every other bad variable, echoing no value', async () => {
    const password = 'hunter2-smtp-password';
    const proc = spawnService({
      entry,
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        PORT: '0',
        HEALTH_PORT: '0',
        SMTP_URL: `smtp://mailer:${password}@mail.internal:587`,
        NOTIFICATIONS_RETRY_LIMIT: 'lots',
        NOTIFICATIONS_WEBHOOK_URL: 'ftp://hooks.internal/x',
        NOTIFICATIONS_DIGEST_EMAIL: 'ops-at-example',
      },
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    const output = proc.stdout + proc.stderr;
    expect(output).toContain(
      'NOTIFICATIONS_WEBHOOK_SECRET: missing; expected a secret of at least 32 characters (required when NODE_ENV=production)',
    );
    expect(output).toContain('NOTIFICATIONS_RETRY_LIMIT: invalid');
    expect(output).toContain(
      'NOTIFICATIONS_WEBHOOK_URL: invalid; expected an absolute http:// or https:// URL without credentials',
    );
    expect(output).toContain('NOTIFICATIONS_DIGEST_EMAIL: invalid');
    expect(output).not.toContain(password);
    expect(output).not.toContain('ops-at-example');
    expect(output).not.toContain('hooks.internal');
  });

  test('outside production an unset secret signs with the development secret and warns once', async () => {
    const receiver = await startReceiver();
    const svc = await startNotifications(db.url, { NOTIFICATIONS_WEBHOOK_SECRET: undefined });
    try {
      for (const message of ['one', 'two']) {
        const sent = await call(svc.api, 'POST', '/notifications', {
          channel: 'webhook',
          to: receiver.url,
          message,
        });
        expect(sent.status).toBe(200);
      }
      await expect.poll(() => receiver.requests.length).toBe(2);
      for (const req of receiver.requests) {
        const verified = verifyWebhookSignature({
          secret: DEV_WEBHOOK_SECRET,
          body: req.body,
          signature: req.headers['bosun-signature'] as string,
          timestamp: req.headers['bosun-timestamp'] as string,
        });
        expect(verified.ok).toBe(true);
      }
      const warnings = svc.proc
        .logs()
        .filter((l) => String(l.msg).startsWith('signing webhooks with the public development secret'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.level).toBe('warn');
    } finally {
      svc.proc.kill('SIGTERM');
      await svc.proc.exited;
      await receiver.close();
    }
  });
});

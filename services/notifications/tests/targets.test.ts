import { isBosunError } from '@bosun/core';
import { describe, expect, test } from 'vitest';
import type { NotificationsConfig } from '../src/notifications-env.js';
import { webhookTarget } from '../src/targets.js';

const config = (hosts: string[], url?: string) =>
  ({ NOTIFICATIONS_WEBHOOK_ALLOWED_HOSTS: hosts, NOTIFICATIONS_WEBHOOK_URL: url }) as NotificationsConfig;

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('webhook targets (CALLER_HOSTS_ARE_ALLOW_LISTED)', () => {
  test('without an allow-list any http(s) host is accepted', () => {
    expect(webhookTarget('http://10.0.0.5/hook', config([]))).toBe('http://10.0.0.5/hook');
  });

  test('with one, a caller may name only the listed hosts and their *.subdomains', () => {
    const c = config(['hooks.example.com', '*.partner.test']);
    expect(webhookTarget('https://hooks.example.com/a', c)).toBe('https://hooks.example.com/a');
    expect(webhookTarget('https://eu.api.partner.test/b', c)).toBe('https://eu.api.partner.test/b');
    for (const to of [
      'http://169.254.169.254/latest/meta-data',
      'https://partner.test/x',
      'https://evil-partner.test/x',
      'https://hooks.example.com.evil.test/',
    ]) {
      const error = refusal(() => webhookTarget(to, c));
      expect(isBosunError(error, 'NOTIFICATIONS_WEBHOOK_HOST_NOT_ALLOWED'), to).toBe(true);
      expect(error).toMatchObject({ status: 403 });
    }
  });

  test('the configured default URL passes whatever the list says: the operator chose it', () => {
    expect(webhookTarget(undefined, config(['hooks.example.com'], 'http://localhost:4000/hook'))).toBe(
      'http://localhost:4000/hook',
    );
  });
});

/**
 * The topic rules of `/stream`: NATS-style subject matching and overlap, and a bad
 * GATEWAY_STREAM_TOPICS failing the boot with the variable named.
 */
import { isBosunError, loadConfig } from '@bosun/core';
import { describe, expect, test } from 'vitest';
import { gatewayEnv } from '../src/gateway-env.js';
import { createTopicPolicy, matchesSubject, parseTopicRules, patternsOverlap } from '../src/stream-topics.js';

describe('stream topic rules', () => {
  test('a pattern matches subjects as NATS does: * is one token, > is one or more at the end', () => {
    expect(matchesSubject('user.created', 'user.created')).toBe(true);
    expect(matchesSubject('user.*', 'user.created')).toBe(true);
    expect(matchesSubject('user.*', 'user.created.again')).toBe(false);
    expect(matchesSubject('user.>', 'user.created.again')).toBe(true);
    expect(matchesSubject('user.>', 'user')).toBe(false);
    expect(matchesSubject('>', 'anything.at.all')).toBe(true);
    expect(matchesSubject('user.created', 'user')).toBe(false);
  });

  test('two patterns overlap when some subject matches both', () => {
    expect(patternsOverlap('user.>', '>')).toBe(true);
    expect(patternsOverlap('user.>', 'user.created')).toBe(true);
    expect(patternsOverlap('user.*', 'user.created.x')).toBe(false);
    expect(patternsOverlap('user.>', 'user')).toBe(false);
    expect(patternsOverlap('user.>', 'order.>')).toBe(false);
    expect(patternsOverlap('*.created', 'user.*')).toBe(true);
  });

  test('an event is allowed only by a rule whose scope the user holds; * is any signed-in user', () => {
    const policy = createTopicPolicy(parseTopicRules('user.>=users:admin, demo.*=*'));
    expect(policy.allows('user.created', ['users:read'])).toBe(false);
    expect(policy.allows('user.created', ['users:admin'])).toBe(true);
    expect(policy.allows('demo.ping', [])).toBe(true);
    expect(policy.allows('billing.paid', ['users:admin'])).toBe(false);
    expect(() => policy.assertTopic('>', [])).not.toThrow();
    expect(() => policy.assertTopic('user.created', ['users:read'])).toThrow(/users:admin/);
  });

  test('a bad GATEWAY_STREAM_TOPICS fails the boot naming the variable and every bad entry', () => {
    let error: unknown;
    try {
      loadConfig(gatewayEnv, { GATEWAY_STREAM_TOPICS: 'user.>=users:admin,a.>.b=x,nothing' });
    } catch (e) {
      error = e;
    }
    expect(isBosunError(error, 'BOSUN_CONFIG_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('GATEWAY_STREAM_TOPICS');
    expect(message).toContain('"a.>.b"');
    expect(message).toContain('"nothing" is not pattern=scope');
  });
});

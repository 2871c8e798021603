/**
 * Password hashing (passwords.ts) and the password policy, without a process: the stored
 * format, verification, and what a tampered hash does (TAMPERED_HASH_IS_A_MISMATCH).
 * Low scrypt costs keep this file fast; the algorithm is the same at every cost.
 */
import { isBosunError } from '@bosun/core';
import { describe, expect, test } from 'vitest';
import { assertPasswordPolicy } from '../src/password-policy.js';
import { dummyHash, hashPassword, needsRehash, OWASP_SCRYPT, verifyPassword } from '../src/passwords.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('scrypt password hashes', () => {
  test('a hash is self-describing (scrypt$N$r$p$salt$hash) and never contains the password', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    const parts = stored.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain('correct horse');
  });

  test('the right password verifies, a wrong one does not', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  test('the same password hashes differently each time (random salt)', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password!', FAST),
      hashPassword('same password!', FAST),
    ]);
    expect(a).not.toBe(b);
  });

  test('a password is NFKC-normalised: composed and decomposed forms verify alike', async () => {
    const stored = await hashPassword('caf\u00e9 au lait!', FAST);
    expect(await verifyPassword('cafe\u0301 au lait!', stored)).toBe(true);
  });

  test('a tampered hash is a mismatch, never an exception', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    const parts = stored.split('$');
    const flipped = Buffer.from(parts[5]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    const tampered = [
      [...parts.slice(0, 5), flipped.toString('base64url')].join('$'),
      [...parts.slice(0, 4), Buffer.alloc(16).toString('base64url'), parts[5]].join('$'), // other salt
      stored.replace('scrypt$1024$', 'scrypt$2048$'), // other cost
      stored.replace('scrypt$1024$', 'scrypt$1000$'), // not a power of two
      stored.replace('scrypt$1024$', `scrypt$${2 ** 24}$`), // an attacker's DoS cost
      stored.replace('scrypt$', 'bcrypt$'),
      `${stored}$extra`,
      parts.slice(0, 5).join('$'),
      '',
      'plaintext-password',
    ];
    for (const hash of tampered)
      expect(await verifyPassword('correct horse battery', hash), hash).toBe(false);
  });

  test('needsRehash says when a hash was made with other parameters', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(needsRehash(stored, FAST)).toBe(false);
    expect(needsRehash(stored, OWASP_SCRYPT)).toBe(true);
    expect(needsRehash('garbage', FAST)).toBe(true);
  });

  test('the dummy hash (for unknown emails) is made once and verifies nothing a user sends', async () => {
    const [a, b] = await Promise.all([dummyHash(FAST), dummyHash(FAST)]);
    expect(a).toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(false);
  });

  test('the default parameters are OWASP’s: N=2^17, r=8, p=1', () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
  });
});

describe('the password policy', () => {
  const code = (password: string, email?: string) => {
    try {
      assertPasswordPolicy(password, { email });
      return 'ok';
    } catch (error) {
      if (!isBosunError(error)) throw error;
      expect(error.detail ?? '').not.toContain(password);
      return error.code;
    }
  };

  test('short, common, repetitive or email-based passwords are USERS_WEAK_PASSWORD, without echoing them', () => {
    expect(code('short')).toBe('USERS_WEAK_PASSWORD');
    expect(code('password123')).toBe('USERS_WEAK_PASSWORD');
    expect(code('abababababab')).toBe('USERS_WEAK_PASSWORD');
    expect(code('grace.hopper-1906', 'grace.hopper@example.com')).toBe('USERS_WEAK_PASSWORD');
    expect(code('correct horse battery', 'grace@example.com')).toBe('ok');
  });
});

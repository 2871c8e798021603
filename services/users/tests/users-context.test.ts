/** SELF_OR_ADMIN: what a user caller may touch, and that calls without a user are left to the gateway. */
import { isBosunError } from '@bosun/core';
import { expect, test } from 'vitest';
import { assertSelfOrAdmin, type UsersContext } from '../src/users-context.js';

const as = (user?: { id: string; scopes: string[] }) => ({ caller: user ? { user } : {} }) as UsersContext;
const code = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return isBosunError(error) ? error.code : 'other';
  }
};

test('a user caller reaches only their own account unless they hold users:admin; other callers are not restricted here', () => {
  expect(code(() => assertSelfOrAdmin(as({ id: 'a', scopes: ['users:read'] }), 'a'))).toBe('ok');
  expect(code(() => assertSelfOrAdmin(as({ id: 'a', scopes: ['users:read'] }), 'b'))).toBe('BOSUN_FORBIDDEN');
  expect(code(() => assertSelfOrAdmin(as({ id: 'a', scopes: ['users:admin'] }), 'b'))).toBe('ok');
  expect(code(() => assertSelfOrAdmin(as(), 'b'))).toBe('ok');
});

/**
 * The password policy, after NIST SP 800-63B: a minimum length, no composition rules, and
 * no password that is trivially guessable from context (the email) or a short list of the
 * most common choices. Too long a password is a validation error in the schema (256).
 *
 * Invariant SECRETS_NEVER_ECHOED: the error says which rule failed, never the password.
 */
import { usersErrors } from './users.errors.js';

export const MIN_PASSWORD_LENGTH = 10;

// A handful of the most common passwords that pass the length rule; a real deployment
// would check a breached-password corpus (k-anonymity API) here.
const COMMON = new Set([
  '1234567890',
  '12345678910',
  '123456789a',
  'qwertyuiop',
  'password12',
  'password123',
  'password1234',
  'iloveyou12',
  'qwerty1234',
  '1q2w3e4r5t',
  'aaaaaaaaaa',
]);

/** Throws USERS_WEAK_PASSWORD naming the rule that failed. */
export function assertPasswordPolicy(password: string, context: { email?: string } = {}): void {
  const length = [...password.normalize('NFKC')].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw usersErrors.create(
      'USERS_WEAK_PASSWORD',
      `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`,
    );
  }
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || new Set(lower).size <= 2) {
    throw usersErrors.create(
      'USERS_WEAK_PASSWORD',
      'The password is too common or too repetitive; choose a longer phrase.',
    );
  }
  const email = context.email?.toLowerCase();
  const local = email?.split('@')[0];
  if (email && (lower.includes(email) || (local && local.length >= 4 && lower.includes(local)))) {
    throw usersErrors.create('USERS_WEAK_PASSWORD', 'The password must not contain the email address.');
  }
}

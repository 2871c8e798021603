/**
 * Password hashing with Node's built-in scrypt. A stored hash describes itself —
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url) — so the cost can be raised later and
 * old hashes still verify (and are re-hashed on the next successful log-in).
 *
 * Invariants:
 * - PASSWORDS_NEVER_STORED: only the derived key and its random 16-byte salt are stored.
 * - CONSTANT_TIME_COMPARE: derived keys are compared with timingSafeEqual.
 * - TAMPERED_HASH_IS_A_MISMATCH: a malformed or out-of-bounds stored hash verifies as false
 *   (never throws, never runs scrypt with absurd parameters an attacker wrote into the row).
 * - Passwords are NFKC-normalised before hashing (NIST SP 800-63B), so the same password
 *   typed on two keyboards verifies.
 * Not here: the password policy (password-policy.ts), timing of unknown emails (log-in.ts
 * verifies against `dummyHash()` so both paths cost one scrypt).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/** OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1 (128 MiB, about 0.5 s on a small core). */
export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds for parameters read back from storage (TAMPERED_HASH_IS_A_MISMATCH).
const MAX_LOG_N = 20;
const MIN_LOG_N = 10;

function derive(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      keyLength,
      // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is too small for N=2^17.
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/**
 * Hashes a password with a fresh random salt.
 * @example
 * const stored = await hashPassword('correct horse battery staple'); // 'scrypt$131072$8$1$...'
 */
export async function hashPassword(password: string, params: ScryptParams = OWASP_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((v) => (/^\d{1,8}$/.test(v ?? '') ? Number(v) : Number.NaN));
  if (N === undefined || r === undefined || p === undefined) return undefined;
  const logN = Math.log2(N);
  if (!Number.isInteger(logN) || logN < MIN_LOG_N || logN > MAX_LOG_N) return undefined;
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || key.length < 16 || key.length > 64) return undefined;
  return { params: { N, r, p }, salt, key };
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** True when `stored` was made with other parameters than `params` (re-hash after a good log-in). */
export function needsRehash(stored: string, params: ScryptParams = OWASP_SCRYPT): boolean {
  const parsed = parse(stored);
  return (
    !parsed || parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p
  );
}

const dummies = new Map<string, Promise<string>>();

/**
 * A hash of a random password with `params`, made once per process. Log-in verifies against
 * it when the email is unknown, so an unknown email costs the same scrypt as a known one.
 */
export function dummyHash(params: ScryptParams = OWASP_SCRYPT): Promise<string> {
  const key = `${params.N}:${params.r}:${params.p}`;
  let hash = dummies.get(key);
  if (!hash) {
    hash = hashPassword(randomBytes(18).toString('base64url'), params);
    dummies.set(key, hash);
  }
  return hash;
}

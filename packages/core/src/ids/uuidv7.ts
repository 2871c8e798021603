/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ordering by id is
 * ordering by creation time and keyset paging over an id column lists rows in creation order.
 * Made here rather than in SQL because PostgreSQL only gained uuidv7() in version 18.
 *
 * Invariant: IDS_ARE_NOT_CAPABILITIES — an id is not a secret; knowing one grants nothing.
 * Ids made in the same millisecond are unique but not ordered among themselves.
 */
import { randomBytes } from 'node:crypto';

/**
 * A new UUIDv7 string.
 * @param now Unix milliseconds; default `Date.now()`.
 * @example uuidv7() // '0193a0c4-5f6e-7d2a-9b1c-3e4f5a6b7c8d'
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  // 48-bit big-endian Unix milliseconds.
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

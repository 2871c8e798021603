/**
 * Notification ids: UUIDv7 (RFC 9562), so id order is creation order and the list of
 * recent notifications pages by id. Generated here rather than in SQL because PostgreSQL
 * only gained uuidv7() in version 18. Not a capability: knowing an id grants nothing.
 */
import { randomBytes } from 'node:crypto';

export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  // 48-bit big-endian Unix milliseconds.
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

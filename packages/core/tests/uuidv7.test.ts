import { describe, expect, test } from 'vitest';
import { uuidv7 } from '../src/ids/uuidv7.js';

describe('uuidv7', () => {
  test('is an RFC 9562 version 7, variant 10 UUID carrying its millisecond timestamp', () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    const id = uuidv7(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  test('ids of later milliseconds sort after earlier ones, as strings (keyset paging relies on it)', () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((offset) => uuidv7(1_700_000_000_000 + offset));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7(5))).size).toBe(1000);
  });
});

/**
 * The bounded table of Streamable HTTP sessions.
 *
 * Invariants:
 * - SESSIONS_ARE_BOUNDED: never more than `maxSessions` entries; when full, idle-expired
 *   sessions are swept first, then either the new session is refused
 *   (BOSUN_MCP_TOO_MANY_SESSIONS, the default) or the least recently used one is closed.
 * - IDLE_EXPIRY: a session not used for `idleTimeoutMs` is closed on the next sweep or lookup.
 * - CLOSED_ONCE: whoever removes an entry closes it; removal is idempotent.
 * Time comes from `now` so tests need no timers.
 */

export interface SessionEntry {
  close(): Promise<void>;
}

export interface SessionTableOptions {
  maxSessions: number;
  idleTimeoutMs: number;
  whenFull?: 'reject' | 'evict-lru';
  now?: () => number;
}

export interface SessionTable<T extends SessionEntry> {
  /** The session, marked as used; undefined when unknown or idle-expired (then closed). */
  get(id: string): T | undefined;
  add(id: string, value: T): void;
  /** Removes and closes; false when already gone. */
  remove(id: string): Promise<boolean>;
  /** Makes room for one more session; false when full and `whenFull` is 'reject'. */
  makeRoom(): Promise<boolean>;
  sweep(): Promise<void>;
  readonly size: number;
  closeAll(): Promise<void>;
}

export function createSessionTable<T extends SessionEntry>(options: SessionTableOptions): SessionTable<T> {
  const now = options.now ?? Date.now;
  // Map order is recency order: get() moves an entry to the end.
  const entries = new Map<string, { value: T; lastUsed: number }>();
  const close = (value: T) => value.close().catch(() => {});

  async function remove(id: string): Promise<boolean> {
    const entry = entries.get(id);
    if (!entry) return false;
    entries.delete(id);
    await close(entry.value);
    return true;
  }

  async function sweep(): Promise<void> {
    const cutoff = now() - options.idleTimeoutMs;
    for (const [id, entry] of [...entries]) if (entry.lastUsed <= cutoff) await remove(id);
  }

  return {
    get(id) {
      const entry = entries.get(id);
      if (!entry) return undefined;
      if (entry.lastUsed <= now() - options.idleTimeoutMs) {
        void remove(id);
        return undefined;
      }
      entries.delete(id);
      entry.lastUsed = now();
      entries.set(id, entry);
      return entry.value;
    },
    add(id, value) {
      entries.set(id, { value, lastUsed: now() });
    },
    remove,
    async makeRoom() {
      if (entries.size < options.maxSessions) return true;
      await sweep();
      if (entries.size < options.maxSessions) return true;
      if (options.whenFull !== 'evict-lru') return false;
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) await remove(oldest);
      return true;
    },
    sweep,
    get size() {
      return entries.size;
    },
    async closeAll() {
      await Promise.all([...entries.keys()].map(remove));
    },
  };
}

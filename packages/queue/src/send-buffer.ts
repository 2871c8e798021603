/**
 * Coalesces sends: `send()` calls made in the same tick (and while earlier inserts are
 * in flight) become one multi-row prepared INSERT. SENDS_COALESCE. After each insert
 * the queue is told which queues got ready jobs, once per batch, so it can wake local
 * workers and notify other processes (NOTIFY_PER_BATCH, never per job).
 */
import type pg from 'pg';
import type { PreparedRow } from './job-row.js';
import { insertJobsSql } from './sql/insert-jobs.sql.js';
import type { Statement, Tables } from './sql/tables.js';
import type { DbPort } from './types.js';

/** Rows per INSERT statement; larger batches are split. */
export const MAX_BATCH_ROWS = 1000;
/** Concurrent coalesced INSERTs; more sends wait and join the next batch. */
const MAX_IN_FLIGHT = 2;

interface Pending {
  row: PreparedRow;
  resolve(id: string | null): void;
  reject(error: unknown): void;
}

export interface InsertedRow {
  id: string;
  name: string;
  singleton_key: string | null;
  ready: boolean;
  claimed: boolean;
  data: unknown;
  attempt: number;
  retry_limit: number;
  priority: number;
  traceparent: string | null;
}

/** IN_PROCESS_HANDOFF: the local worker that may take a due job directly. */
export interface Handoff {
  /** Reserves a slot on an idle local worker for `name`; returns its id or undefined. */
  reserve(name: string): string | undefined;
  /** Gives inserted, already-claimed rows to their worker; `unused` reservations are returned. */
  deliver(claimed: InsertedRow[], unused: Map<string, number>): void;
}

/** Maps RETURNING rows (input order, conflicting singletons skipped) back to the inputs. */
export function mapIds(
  rows: ReadonlyArray<PreparedRow>,
  inserted: ReadonlyArray<InsertedRow>,
): (string | null)[] {
  const ids: (string | null)[] = [];
  let next = 0;
  for (const row of rows) {
    const candidate = inserted[next];
    if (
      candidate &&
      (row.singletonKey === undefined ||
        (candidate.singleton_key === row.singletonKey && candidate.name === row.name))
    ) {
      ids.push(String(candidate.id));
      next++;
    } else {
      ids.push(null);
    }
  }
  return ids;
}

export interface SendBuffer {
  /** Queues one row for the next coalesced insert. */
  add(row: PreparedRow): Promise<string | null>;
  /** Inserts rows now, through `db` (a caller's transaction) or the pool, in chunks. */
  insert(rows: ReadonlyArray<PreparedRow>, db?: DbPort): Promise<(string | null)[]>;
  /** Resolves when nothing is pending or in flight. */
  drain(): Promise<void>;
}

export function createSendBuffer(
  pool: pg.Pool,
  tables: Tables,
  onReady: (names: Set<string>, inTransaction: DbPort | undefined) => Promise<void> | undefined,
  handoff: Handoff,
): SendBuffer {
  const statement: Statement = insertJobsSql(tables);
  let pending: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;
  let idle: Array<() => void> = [];

  async function run(rows: ReadonlyArray<PreparedRow>, db: DbPort | undefined): Promise<(string | null)[]> {
    // Never hand off inside a caller's transaction: the row is not visible until COMMIT.
    const reserved = new Map<string, number>();
    const parts = rows.map((r) => {
      const worker = db || !r.immediate ? undefined : handoff.reserve(r.name);
      if (worker === undefined) return r.json;
      reserved.set(r.name, (reserved.get(r.name) ?? 0) + 1);
      return `${r.json.slice(0, -1)},"w":${JSON.stringify(worker)}}`;
    });
    let inserted: InsertedRow[];
    try {
      const json = `[${parts.join(',')}]`;
      const result = db
        ? await db.query<Record<string, unknown>>(statement.text, [json])
        : await pool.query<InsertedRow>({ name: statement.name, text: statement.text, values: [json] });
      inserted = result.rows as unknown as InsertedRow[];
    } catch (error) {
      if (reserved.size > 0) handoff.deliver([], reserved);
      throw error;
    }
    const ready = new Set<string>();
    const claimed: InsertedRow[] = [];
    for (const r of inserted) {
      if (r.claimed) {
        claimed.push(r);
        reserved.set(r.name, (reserved.get(r.name) ?? 0) - 1);
      } else if (r.ready) ready.add(r.name);
    }
    if (claimed.length > 0 || reserved.size > 0) handoff.deliver(claimed, reserved);
    if (ready.size > 0) await onReady(ready, db);
    return mapIds(rows, inserted);
  }

  function flush(): void {
    scheduled = false;
    while (pending.length > 0 && inFlight < MAX_IN_FLIGHT) {
      const batch = pending.slice(0, MAX_BATCH_ROWS);
      pending = pending.slice(batch.length);
      inFlight++;
      run(
        batch.map((p) => p.row),
        undefined,
      )
        .then(
          (ids) => {
            for (let i = 0; i < batch.length; i++) batch[i]!.resolve(ids[i] ?? null);
          },
          (error) => {
            for (const p of batch) p.reject(error);
          },
        )
        .finally(() => {
          inFlight--;
          if (pending.length > 0) flush();
          else if (inFlight === 0) {
            const waiters = idle;
            idle = [];
            for (const w of waiters) w();
          }
        });
    }
  }

  return {
    add(row) {
      return new Promise((resolve, reject) => {
        pending.push({ row, resolve, reject });
        if (!scheduled && inFlight < MAX_IN_FLIGHT) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async insert(rows, db) {
      const ids: (string | null)[] = [];
      for (let i = 0; i < rows.length; i += MAX_BATCH_ROWS) {
        ids.push(...(await run(rows.slice(i, i + MAX_BATCH_ROWS), db)));
      }
      return ids;
    },
    drain() {
      if (pending.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}

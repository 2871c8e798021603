/**
 * Cron schedules. Every started queue instance checks the schedule rows every
 * `schedulePollMs`; for each, the latest tick at or before now (by the injected clock)
 * is compared with `last_tick`, and a newer tick is claimed and enqueued in one
 * statement (SCHEDULE_TICK_ONCE), so any number of replicas create one job per tick.
 *
 * NO_BACKFILL_STORM: after downtime only the most recent missed tick runs (one
 * catch-up job); the earlier missed ticks are skipped. A new schedule starts from its
 * next tick (nothing runs for ticks before it was created).
 */
import { Cron } from 'croner';
import type pg from 'pg';
import type { QueueEmitter } from './events.js';
import { queueErrors } from './queue.errors.js';
import {
  deleteScheduleSql,
  listSchedulesSql,
  tickScheduleSql,
  upsertScheduleSql,
} from './sql/schedules.sql.js';
import type { Tables } from './sql/tables.js';

export interface ScheduleOptions {
  /** IANA time zone; default UTC. */
  tz?: string;
  /** Distinguishes several schedules for one queue; default ''. */
  key?: string;
  priority?: number;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  retentionSeconds?: number;
  deadLetter?: string;
}

export interface ScheduleRecord {
  name: string;
  key: string;
  cron: string;
  tz: string;
  data: unknown;
  lastTick: Date | null;
  /** The next tick after now (by the queue's clock); null when the cron never fires again or is invalid. */
  nextRun: Date | null;
}

const crons = new Map<string, Cron>();

export function cronFor(pattern: string, tz: string): Cron {
  const id = `${tz}\u0000${pattern}`;
  let cron = crons.get(id);
  if (!cron) {
    try {
      cron = new Cron(pattern, { timezone: tz, paused: true });
      // croner checks the time zone lazily; compute one tick now so a bad zone fails here.
      cron.nextRun();
    } catch (error) {
      throw queueErrors.create(
        'BOSUN_QUEUE_SCHEDULE_INVALID',
        `Cron "${pattern}" (tz ${tz}) is invalid: ${(error as Error).message}. Use five or six cron fields and an IANA time zone.`,
        { cause: error },
      );
    }
    crons.set(id, cron);
  }
  return cron;
}

/** The latest tick at or before `now`, or null. */
export function latestTick(cron: Cron, now: Date): Date | null {
  return cron.previousRuns(1, new Date(now.getTime() + 1))[0] ?? null;
}

function nextRunOf(pattern: string, tz: string, now: Date): Date | null {
  try {
    return cronFor(pattern, tz).nextRun(now) ?? null;
  } catch {
    return null;
  }
}

export interface SchedulerDeps {
  pool: pg.Pool;
  tables: Tables;
  clock: () => Date;
  pollMs: number;
  emitter: QueueEmitter;
  onReady(names: Set<string>): void;
  onError(during: string, error: unknown): void;
}

export interface Scheduler {
  upsert(name: string, cron: string, data: unknown, options: ScheduleOptions): Promise<void>;
  remove(name: string, key: string): Promise<void>;
  list(): Promise<ScheduleRecord[]>;
  /** Checks every schedule once; returns the ids of jobs this call created. */
  check(): Promise<string[]>;
  stop(): Promise<void>;
}

export function startScheduler(deps: SchedulerDeps): Scheduler {
  const t = deps.tables;
  let current: Promise<unknown> | undefined;

  async function list(): Promise<ScheduleRecord[]> {
    const { rows } = await deps.pool.query(listSchedulesSql(t));
    return rows.map((r) => ({
      name: r.name,
      key: r.key,
      cron: r.cron,
      tz: r.tz,
      data: r.data,
      lastTick: r.last_tick,
      nextRun: nextRunOf(r.cron, r.tz, deps.clock()),
    }));
  }

  async function check(): Promise<string[]> {
    const created: string[] = [];
    const now = deps.clock();
    for (const s of await list()) {
      let tick: Date | null;
      try {
        tick = latestTick(cronFor(s.cron, s.tz), now);
      } catch (error) {
        deps.onError('schedule', error);
        continue;
      }
      if (!tick || (s.lastTick && tick <= s.lastTick)) continue;
      const { rows } = await deps.pool.query<{ id: string }>(tickScheduleSql(t), [
        s.name,
        s.key,
        tick,
        s.cron,
      ]);
      for (const row of rows) {
        created.push(row.id);
        deps.emitter.emit('schedule:ticked', { name: s.name, key: s.key, tick, id: row.id });
      }
      if (rows.length > 0) deps.onReady(new Set([s.name]));
    }
    return created;
  }

  const timer = setInterval(() => {
    if (!current) {
      current = check()
        .catch((error) => deps.onError('schedule', error))
        .finally(() => (current = undefined));
    }
  }, deps.pollMs);
  timer.unref();

  return {
    async upsert(name, pattern, data, options) {
      const { tz = 'UTC', key = '', ...jobOptions } = options;
      const tick = latestTick(cronFor(pattern, tz), deps.clock());
      await deps.pool.query(upsertScheduleSql(t), [
        name,
        key,
        pattern,
        tz,
        JSON.stringify(data ?? null),
        JSON.stringify(jobOptions),
        tick,
      ]);
    },
    async remove(name, key) {
      await deps.pool.query(deleteScheduleSql(t), [name, key]);
    },
    list,
    check,
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}

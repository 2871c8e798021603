/**
 * The daily digest's numbers: for one UTC day, the notifications created that day by their
 * current status and the delivery attempts started that day by outcome. Digests themselves
 * are left out, so a digest never counts digests.
 *
 * Invariant DAY_IS_UTC: a day is [00:00, 24:00) UTC, the schedule's time zone.
 */
import type { DbPort } from '@bosun/core';

export interface DigestSummary {
  day: string;
  notifications: { total: number; byStatus: Record<string, number> };
  attempts: { total: number; byOutcome: Record<string, number> };
}

/** `YYYY-MM-DD` of the UTC day before `now`. */
export function yesterdayUtc(now: Date): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export async function summariseDay(db: DbPort, day: string): Promise<DigestSummary> {
  const range = `tstzrange(($1::date)::timestamp AT TIME ZONE 'UTC', ($1::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  const byStatus = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM notifications
      WHERE kind <> 'digest' AND ${range} @> created_at GROUP BY status`,
    [day],
  );
  const byOutcome = await db.query<{ outcome: string; n: number }>(
    `SELECT a.outcome, count(*)::int AS n FROM delivery_attempts a JOIN notifications n ON n.id = a.notification_id
      WHERE n.kind <> 'digest' AND ${range} @> a.started_at GROUP BY a.outcome`,
    [day],
  );
  const tally = <K extends string>(rows: Array<Record<K, string> & { n: number }>, key: K) =>
    Object.fromEntries(rows.map((r) => [r[key], r.n]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  const sum = (rows: Array<{ n: number }>) => rows.reduce((total, r) => total + r.n, 0);
  return {
    day,
    notifications: { total: sum(byStatus.rows), byStatus: tally(byStatus.rows, 'status') },
    attempts: { total: sum(byOutcome.rows), byOutcome: tally(byOutcome.rows, 'outcome') },
  };
}

export function digestText(s: DigestSummary): string {
  const line = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  return [
    `Notifications on ${s.day} (UTC): ${s.notifications.total} (${line(s.notifications.byStatus)}).`,
    `Delivery attempts: ${s.attempts.total} (${line(s.attempts.byOutcome)}).`,
  ].join('\n');
}

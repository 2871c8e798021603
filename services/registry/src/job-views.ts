/**
 * Queue records as the registry's output shapes: dates as ISO strings, every field named
 * (a new queue column never leaks out unreviewed). Job data, output and errors are passed
 * through as stored: untrusted, escaped by whoever renders them (the dashboard's html``).
 */
import type { JobRecord, JobSummary as QueueJobSummary, ScheduleRecord } from '@bosun/queue';
import type { JobDetail, JobSummary, ScheduleInfo } from './schemas.js';

const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : new Date(d).toISOString();

export function toJobSummary(j: QueueJobSummary): JobSummary {
  return {
    id: String(j.id),
    name: j.name,
    state: j.state,
    priority: j.priority,
    attempt: j.attempt,
    retryLimit: j.retryLimit,
    singletonKey: j.singletonKey,
    deadLetter: j.deadLetter,
    origin: j.origin,
    createdAt: iso(j.createdAt)!,
    startedAt: iso(j.startedAt),
    runAt: iso(j.runAt),
    finishedAt: iso(j.finishedAt),
    progress: (j.progress ?? null) as JobSummary['progress'],
    lastError: (j.lastError ?? null) as JobSummary['lastError'],
  };
}

export function toJobDetail(j: JobRecord): JobDetail {
  return { ...toJobSummary(j), data: j.data ?? null, output: j.output ?? null };
}

export function toScheduleInfo(s: ScheduleRecord): ScheduleInfo {
  return {
    job: s.name,
    key: s.key,
    cron: s.cron,
    tz: s.tz,
    lastTick: iso(s.lastTick),
    nextRun: iso(s.nextRun),
  };
}

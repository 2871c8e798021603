/**
 * Subject and stream naming, in one place, under a configurable root (`bosun` by
 * default; tests use a random root so files never see each other's traffic).
 *
 * Invariants:
 * - SUBJECTS_ARE_ROOTED: every subject the bus uses starts with `<root>.`.
 * - Durable consumer and stream names contain no `.`, `*`, `>` or spaces (NATS rejects them).
 */

export const DEFAULT_ROOT = 'bosun';

export interface Subjects {
  readonly root: string;
  /** `<root>.rpc.<service>.<operation>` */
  rpc(service: string, operation: string): string;
  /** `<root>.events.<subject>` */
  event(subject: string): string;
  /** The event subject without the root prefix. */
  eventName(fullSubject: string): string;
  /** `<root>.dlq.<service>.<subject>` */
  deadLetter(service: string, subject: string): string;
  /** `<root>.registry.heartbeat` */
  readonly heartbeat: string;
  /** `<root>.registry.probe`: a view asking every instance to beat now. */
  readonly heartbeatProbe: string;
  readonly eventsWildcard: string;
  readonly deadLetterWildcard: string;
  readonly eventsStream: string;
  readonly deadLetterStream: string;
  /** Durable consumer name for `service` subscribing to `subject`. */
  consumer(service: string, subject: string): string;
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

export function subjectsFor(root: string = DEFAULT_ROOT): Subjects {
  if (!/^[A-Za-z0-9_-]+$/.test(root)) throw new Error(`Bus root "${root}" must match [A-Za-z0-9_-]+.`);
  const upper = safeName(root).toUpperCase();
  return {
    root,
    rpc: (service, operation) => `${root}.rpc.${service}.${operation}`,
    event: (subject) => `${root}.events.${subject}`,
    eventName: (full) => full.slice(`${root}.events.`.length),
    deadLetter: (service, subject) => `${root}.dlq.${service}.${subject}`,
    heartbeat: `${root}.registry.heartbeat`,
    heartbeatProbe: `${root}.registry.probe`,
    eventsWildcard: `${root}.events.>`,
    deadLetterWildcard: `${root}.dlq.>`,
    eventsStream: `${upper}_EVENTS`,
    deadLetterStream: `${upper}_DLQ`,
    consumer: (service, subject) => `${safeName(service)}__${safeName(subject)}`,
  };
}

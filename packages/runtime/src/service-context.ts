/**
 * Builds the OperationContext a handler receives, for any transport. Transports supply
 * what they know (request id, logger, abort signal, caller, trace); the runtime adds the
 * service's config, database, job sender and event publisher. One factory per service.
 *
 * Invariant TRACE_RIDES_THE_JOB: a context with a traceparent sends its jobs with it
 * (stored on the job row), unless the caller passes one of its own; its events carry it
 * (and the request id) in their headers, on the bus and through the outbox alike.
 */
import { randomUUID } from 'node:crypto';
import type { PublishOptions } from '@bosun/bus';
import type {
  AnyService,
  Caller,
  DbPort,
  EventPublisher,
  JobSender,
  OperationContext,
  RemoteCall,
  Transport,
} from '@bosun/core';
import type { Logger } from 'pino';

export interface ContextBase {
  transport: Transport;
  requestId?: string;
  log?: Logger;
  signal?: AbortSignal;
  caller?: Caller;
  traceparent?: string;
  progress?: (value: number, message?: string) => Promise<void>;
}

export interface ServiceContextDeps {
  service: AnyService;
  config: Readonly<Record<string, unknown>>;
  log: Logger;
  db: () => DbPort | undefined;
  jobs: JobSender;
  events: EventPublisher;
  call?: RemoteCall;
}

export type ContextFactory = (base: ContextBase) => OperationContext;

export function createContextFactory(deps: ServiceContextDeps): ContextFactory {
  const never = new AbortController().signal;
  return (base) => {
    const requestId = base.requestId ?? randomUUID();
    return {
      service: deps.service.name,
      requestId,
      transport: base.transport,
      log: base.log ?? deps.log.child({ requestId, transport: base.transport }),
      signal: base.signal ?? never,
      config: deps.config,
      db: deps.db(),
      jobs: base.traceparent ? tracedJobs(deps.jobs, base.traceparent) : deps.jobs,
      events: base.traceparent ? tracedEvents(deps.events, requestId, base.traceparent) : deps.events,
      call: deps.call,
      caller: base.caller ?? {},
      traceparent: base.traceparent,
      progress: base.progress ?? (async () => {}),
    };
  };
}

function tracedJobs(jobs: JobSender, traceparent: string): JobSender {
  return { send: (name, data, options) => jobs.send(name, data, { traceparent, ...options }) };
}

function tracedEvents(events: EventPublisher, requestId: string, traceparent: string): EventPublisher {
  return {
    publish: (subject, data, options) => {
      const traced: PublishOptions = { ctx: { requestId, traceparent }, ...options };
      return events.publish(subject, data, traced);
    },
  };
}

/** A JobSender for processes without a queue: says how to get one. */
export function missingJobSender(service: string): JobSender {
  return {
    send: async (name) => {
      throw new Error(
        `Service "${service}" sent job "${name}" but runs without a job queue; define the job in its "jobs".`,
      );
    },
  };
}

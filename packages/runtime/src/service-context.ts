/**
 * Builds the OperationContext a handler receives, for any transport. Transports supply
 * what they know (request id, logger, abort signal, caller, trace); the runtime adds the
 * service's config, database, job sender and event publisher. One factory per service.
 *
 * Invariants:
 * - LAZY_STAYS_LAZY: the context's `log` is an own enumerable getter, made on first read (the
 *   transport's logger, or a child of the service logger); a `signal` the transport supplies as
 *   an own getter (HTTP makes its AbortSignal on first read) stays a getter. A request whose
 *   handler never looks at them never pays for a child logger or an AbortSignal (~10 us in
 *   Node 20). `{ ...ctx }` still carries both (a spread reads the getters).
 * - LAZY_SIGNAL_IS_THE_CALLERS (core's invoke): a transport that supplies a lazy signal refuses a
 *   request cancelled before it started; a plain signal is copied, so invoke checks it itself.
 * - TRACE_RIDES_THE_JOB: a context with a traceparent sends its jobs with it
 *   (stored on the job row), unless the caller passes one of its own; its events carry it
 *   (and the request id) in their headers, on the bus and through the outbox alike; its
 *   `ctx.call` sends both with the call (so the callee's span is a child of this context's).
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
  /** The request's logger; may be an own getter (read only when the handler logs). */
  log?: Logger;
  /** May be an own getter (made on first read): see LAZY_SIGNAL_IS_THE_CALLERS. */
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

/** What a transport knows about its base, so the factory need not inspect it. */
export interface ContextHints {
  /** `base.signal` is an own getter made on first read (HTTP): pass it on as a getter. */
  lazySignal?: boolean;
}

export type ContextFactory = (base: ContextBase, hints?: ContextHints) => OperationContext;

const BASE = Symbol('bosun.context.base');
const LOG = Symbol('bosun.context.log');
const ROOT_LOG = Symbol('bosun.context.rootLog');
interface Lazy {
  requestId: string;
  [BASE]: ContextBase;
  [LOG]: Logger | undefined;
  [ROOT_LOG]: Logger;
}

const NEVER = new AbortController().signal;
const noProgress = async () => {};

// Shared descriptors: defineProperty with one costs ~0.2 us, an object literal with accessors ~1 us.
const LOG_GETTER: PropertyDescriptor = {
  get(this: Lazy): Logger {
    let log = this[LOG];
    if (log === undefined) {
      const base = this[BASE];
      log = base.log ?? this[ROOT_LOG].child({ requestId: this.requestId, transport: base.transport });
      this[LOG] = log;
    }
    return log;
  },
  enumerable: true,
  configurable: true,
};
const SIGNAL_GETTER: PropertyDescriptor = {
  get(this: Lazy): AbortSignal {
    return this[BASE].signal ?? NEVER;
  },
  enumerable: true,
  configurable: true,
};

/** A signal the transport makes on first read (an own accessor), which the context must not force. */
function isLazySignal(base: ContextBase): boolean {
  const own = Object.getOwnPropertyDescriptor(base, 'signal');
  return own !== undefined && own.get !== undefined;
}

export function createContextFactory(deps: ServiceContextDeps): ContextFactory {
  return (base, hints) => {
    const lazySignal = hints?.lazySignal ?? isLazySignal(base);
    const requestId = base.requestId ?? randomUUID();
    const ctx = {
      service: deps.service.name,
      requestId,
      transport: base.transport,
      config: deps.config,
      db: deps.db(),
      jobs: base.traceparent ? tracedJobs(deps.jobs, base.traceparent) : deps.jobs,
      events: base.traceparent ? tracedEvents(deps.events, requestId, base.traceparent) : deps.events,
      call: base.traceparent && deps.call ? tracedCall(deps.call, requestId, base.traceparent) : deps.call,
      caller: base.caller ?? {},
      traceparent: base.traceparent,
      progress: base.progress ?? noProgress,
      [BASE]: base,
      [LOG]: undefined,
      [ROOT_LOG]: deps.log,
    } as unknown as OperationContext & Lazy;
    Object.defineProperty(ctx, 'log', LOG_GETTER);
    // Added after the literal either way: turning a data property into an accessor would
    // cost the object its fast shape.
    if (lazySignal) Object.defineProperty(ctx, 'signal', SIGNAL_GETTER);
    else ctx.signal = base.signal ?? NEVER;
    return ctx;
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

function tracedCall(call: RemoteCall, requestId: string, traceparent: string): RemoteCall {
  return (target, operation, input, options) =>
    call(target, operation, input, { requestId, traceparent, ...options });
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

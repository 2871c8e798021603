/**
 * createEventBus(): a service's durable events. `publish(subject, data)` validates with
 * the schema in `events.publishes` and stores the event (JetStream or in-process);
 * `start()` runs every `events.subscribes` handler on a durable consumer named after the
 * service and the subject, shared by all replicas of the service.
 *
 * Invariants:
 * - EVENT_IS_VALIDATED: an event is published only if it matches its declared schema,
 *   and a handler only sees data that matches its subscription schema.
 * - DURABLE_SINGLE_DELIVERY: each subscribing service gets each event once (one durable
 *   consumer per service and subject); replicas share it.
 * - AT_LEAST_ONCE: a handler that throws gets the event again after a backoff delay (nak
 *   with delay); only success acks.
 * - DEAD_LETTER_AFTER_MAX: after `maxDeliveries` failed deliveries (default 5), or at once
 *   for data that can never pass its schema, the event goes to `<root>.dlq.<service>.<subject>`
 *   (stored durably) and is terminated; if that publish fails, the event is retried instead.
 * - PUBLISH_IS_DEDUPLICATED: retries of one publish carry the same event id.
 * - OUTBOX_COMMITS_WITH_THE_ROW: `publish(subject, data, { db: client })` validates the
 *   same way, then writes the same envelope and headers to the outbox through `client`
 *   (inside the caller's transaction) instead of the bus; outbox-relay.ts publishes it
 *   after COMMIT with the event id as message id (DEDUP_BY_EVENT_ID).
 * - SPAN_PER_EVENT: with a `tracer`, each delivery runs in a consumer span `event <subject>`
 *   (child of the event's traceparent, failures record their code), and a publish sends the
 *   publishing context's own traceparent, so the handler's span is a child of the publisher's.
 */
import { randomUUID } from 'node:crypto';
import {
  type AnyService,
  type BosunErrorJSON,
  childContext,
  type DbPort,
  type EventPublisher,
  type EventSubscription,
  formatTraceparent,
  isBosunError,
  type Logger,
  minimalContext,
  type OperationContext,
  parseTraceparent,
  type SpanTracer,
  toBosunError,
  trackInFlight,
  validationError,
} from '@bosun/core';
import { busErrors } from './bus.errors.js';
import { decodeJson, encodeJson, HEADERS } from './envelope.js';
import type { OutboxWriter } from './outbox-writer.js';
import type { BusHeaders, Disposition, EventDelivery, Subscription, Transport } from './transport.port.js';

/** The stored form of an event. */
export interface EventEnvelope {
  v: 1;
  id: string;
  /** The publishing service. */
  source: string;
  subject: string;
  time: string;
  data: unknown;
}

/** What a dead-letter subject carries. */
export interface DeadLetter {
  v: 1;
  service: string;
  deliveries: number;
  error: BosunErrorJSON;
  event: EventEnvelope | { raw: string };
}

export interface EventContextInit {
  service: string;
  subject: string;
  event: EventEnvelope;
  requestId: string;
  traceparent: string;
  signal: AbortSignal;
  log: Logger;
}

export interface EventBusOptions {
  log: Logger;
  /** Builds a handler's context; the runtime wires db, jobs here. Default: minimal context. */
  createContext?: (init: EventContextInit) => OperationContext;
  /** Redelivery delay after a failure: initial * 2^(n-1), capped. Default 1000 / 60_000 ms. */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Time a delivery may run before the server redelivers it. Default 30_000 ms. */
  ackWaitMs?: number;
  /** Events handled at once per subscription in this instance. Default 1. */
  concurrency?: number;
  /** How long publish() keeps retrying a transient failure (e.g. NATS reconnecting). Default 10_000 ms. */
  publishRetryMs?: number;
  /** Where `publish(..., { db })` writes (createOutboxWriter). Without it such a publish throws BOSUN_BUS_OUTBOX_NOT_CONFIGURED. */
  outbox?: OutboxWriter;
  /** Runs each delivery in a consumer span (SPAN_PER_EVENT). Default: no spans. */
  tracer?: SpanTracer;
}

export interface PublishOptions {
  /** Reuse to make a repeated publish idempotent. Default: a new UUID. */
  id?: string;
  ctx?: Pick<OperationContext, 'requestId' | 'traceparent'>;
  /**
   * A client inside the caller's open transaction: the event goes to the outbox in that
   * transaction and reaches the bus after COMMIT (nothing on ROLLBACK). Needs `outbox`.
   */
  db?: DbPort;
}

export interface EventBus extends EventPublisher {
  publish(subject: string, data: unknown, options?: PublishOptions): Promise<void>;
  /** Ensures streams and starts the durable consumers of `events.subscribes`. Idempotent. */
  start(): Promise<void>;
  /** Stops taking events; in-flight handlers finish until `signal` aborts (then they are redelivered later). */
  drain(signal?: AbortSignal): Promise<{ abandoned: string[] }>;
  close(): Promise<void>;
}

/** SPAN_PER_EVENT: when tracing, the publisher's own span is the parent; otherwise a child id of it. */
function publishedTraceparent(tracer: SpanTracer | undefined, parent: string | undefined): string {
  if (tracer !== undefined && parent !== undefined && parseTraceparent(parent)) return parent;
  return formatTraceparent(childContext(parseTraceparent(parent)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createEventBus(
  transport: Transport,
  service: AnyService,
  options: EventBusOptions,
): EventBus {
  const { subjects } = transport;
  const inFlight = trackInFlight();
  const controllers = new Set<AbortController>();
  const subscriptions: Subscription[] = [];
  let starting: Promise<void> | undefined;
  let draining: Promise<{ abandoned: string[] }> | undefined;
  const initialDelay = options.backoff?.initialDelayMs ?? 1000;
  const maxDelay = options.backoff?.maxDelayMs ?? 60_000;

  const publishDurable = async (subject: string, body: unknown, id: string, headers: BusHeaders) => {
    const deadline = Date.now() + (options.publishRetryMs ?? 10_000);
    for (let attempt = 0; ; attempt++) {
      try {
        return await transport.publishDurable(subject, encodeJson(body), { id, headers });
      } catch (error) {
        const transient = isBosunError(error) && error.retryable;
        if (!transient || Date.now() >= deadline) throw error;
        await sleep(Math.min(100 * 2 ** attempt, 2000));
      }
    }
  };

  const deadLetter = async (
    subject: string,
    delivery: EventDelivery,
    event: EventEnvelope | undefined,
    error: unknown,
  ) => {
    const letter: DeadLetter = {
      v: 1,
      service: service.name,
      deliveries: delivery.deliveryCount,
      error: toBosunError(error).toJSON(),
      event: event ?? { raw: new TextDecoder().decode(delivery.data) },
    };
    const id = `${event?.id ?? `seq-${delivery.sequence}`}:dlq:${service.name}`;
    await publishDurable(subjects.deadLetter(service.name, subject), letter, id, delivery.headers);
  };

  const handle = async (
    subject: string,
    sub: EventSubscription,
    delivery: EventDelivery,
  ): Promise<Disposition> => {
    const maxDeliveries = sub.maxDeliveries ?? 5;
    let event: EventEnvelope | undefined;
    const log = options.log.child({ subject, delivery: delivery.deliveryCount });
    const end = inFlight.begin(`event:${subject}#${delivery.sequence}`);
    const span = options.tracer?.start(
      `event ${subject}`,
      'consumer',
      delivery.headers[HEADERS.traceparent],
      {
        'messaging.system': 'bosun',
        'messaging.destination.name': subject,
        'messaging.consumer.group.name': service.name,
      },
    );
    const controller = new AbortController();
    controllers.add(controller);
    try {
      const body = decodeJson(delivery.data) as Partial<EventEnvelope> | null;
      if (body?.v !== 1 || typeof body.id !== 'string') {
        throw busErrors.create('BOSUN_BUS_BAD_ENVELOPE', `Event on "${subject}" has no v: 1 envelope.`);
      }
      event = body as EventEnvelope;
      const parsed = await sub.schema.safeParseAsync(event.data);
      if (!parsed.success) throw validationError(parsed.error, `event data for "${subject}"`);
      const trace = span
        ? span.context
        : childContext(parseTraceparent(delivery.headers[HEADERS.traceparent]));
      span?.setAttribute('messaging.message.id', event.id);
      const init: EventContextInit = {
        service: service.name,
        subject,
        event,
        requestId: delivery.headers[HEADERS.requestId] ?? event.id,
        traceparent: span ? span.traceparent : formatTraceparent(trace),
        signal: controller.signal,
        log: log.child({ eventId: event.id, traceId: trace.traceId }),
      };
      await sub.handler(parsed.data, (options.createContext ?? defaultEventContext)(init));
      return { ack: true };
    } catch (thrown) {
      const error = toBosunError(thrown);
      span?.fail(error);
      // Data that fails its schema (or is not an envelope) never gets better: dead-letter at once.
      const hopeless = error.code === 'BOSUN_VALIDATION_FAILED' || error.code === 'BOSUN_BUS_BAD_ENVELOPE';
      if (hopeless || delivery.deliveryCount >= maxDeliveries) {
        try {
          await deadLetter(subject, delivery, event, error);
          log.error({ err: error }, 'event dead-lettered');
          return { term: true };
        } catch (dlqError) {
          log.error({ err: dlqError }, 'dead-letter publish failed; the event will be redelivered');
        }
      } else {
        log.warn({ err: error }, 'event handler failed; redelivering later');
      }
      const delayMs = Math.min(initialDelay * 2 ** (delivery.deliveryCount - 1), maxDelay);
      return { nak: true, delayMs };
    } finally {
      controllers.delete(controller);
      span?.end();
      end();
    }
  };

  const drain = (signal?: AbortSignal) => {
    draining ??= (async () => {
      await starting?.catch(() => {});
      const closed = Promise.allSettled(subscriptions.map((s) => s.close()));
      const idle = await inFlight.waitIdle(signal);
      const abandoned = idle ? [] : inFlight.labels();
      if (!idle) for (const c of controllers) c.abort();
      if (idle) await closed;
      return { abandoned };
    })();
    return draining;
  };

  return {
    async publish(subject, data, publishOptions = {}) {
      if (publishOptions.db && !options.outbox) {
        throw busErrors.create(
          'BOSUN_BUS_OUTBOX_NOT_CONFIGURED',
          `publish("${subject}") got a db transaction, but this event bus has no outbox; pass createEventBus({ outbox: createOutboxWriter() }) (the runtime does when the process has a database), or publish after commit.`,
        );
      }
      const schema = service.events.publishes[subject];
      if (!schema) {
        throw busErrors.create(
          'BOSUN_BUS_EVENT_UNKNOWN',
          `Service "${service.name}" publishes "${subject}" but does not declare it; add it to events.publishes.`,
        );
      }
      const parsed = await schema.safeParseAsync(data);
      if (!parsed.success) throw validationError(parsed.error, `event data for "${subject}"`);
      const id = publishOptions.id ?? randomUUID();
      const event: EventEnvelope = {
        v: 1,
        id,
        source: service.name,
        subject,
        time: new Date().toISOString(),
        data: parsed.data,
      };
      const headers: BusHeaders = {
        [HEADERS.requestId]: publishOptions.ctx?.requestId ?? id,
        [HEADERS.traceparent]: publishedTraceparent(options.tracer, publishOptions.ctx?.traceparent),
      };
      if (publishOptions.db) {
        // The same bytes encodeJson(event) would put on the bus (PAYLOADS_ARE_BYTES).
        const payload = JSON.stringify(event);
        return options.outbox!.write(publishOptions.db, {
          id,
          source: service.name,
          subject,
          payload,
          headers,
        });
      }
      await publishDurable(subjects.event(subject), event, id, headers);
    },
    start() {
      starting ??= (async () => {
        await transport.ensureStreams();
        for (const [subject, sub] of Object.entries(service.events.subscribes)) {
          const subscription = await transport.consume(
            {
              durable: subjects.consumer(service.name, subject),
              filterSubject: subjects.event(subject),
              ackWaitMs: options.ackWaitMs,
              concurrency: options.concurrency,
            },
            (delivery) => handle(subject, sub, delivery),
          );
          subscriptions.push(subscription);
        }
      })();
      return starting;
    },
    drain,
    async close() {
      await drain();
    },
  };
}

/** The context used when no createContext is given. */
export function defaultEventContext(init: EventContextInit): OperationContext {
  return minimalContext({ ...init, transport: 'event', caller: { service: init.event.source } });
}

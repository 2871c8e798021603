/**
 * The Transport port: what the bus needs from a message system, and nothing more.
 * Two adapters implement it — NATS (nats.transport.ts) and in-process
 * (in-process.transport.ts) — and both pass one contract suite (tests/transport-contract.ts).
 * RPC, events and the registry are written against this port only.
 *
 * Invariants:
 * - PAYLOADS_ARE_BYTES: adapters carry opaque bytes and string headers; encoding is the
 *   caller's (envelope.ts), so both adapters round-trip exactly the same values.
 * - QUEUE_GROUP_SINGLE_DELIVERY: a request served by several members of one queue group
 *   reaches exactly one of them.
 * - DURABLE_SINGLE_DELIVERY: an event reaches one member of each durable consumer; it is
 *   redelivered until acked or terminated (at-least-once).
 * - Errors leave adapters as BosunError: BOSUN_BUS_NO_RESPONDERS, BOSUN_TIMEOUT,
 *   BOSUN_BUS_DISCONNECTED, BOSUN_BUS_CLOSED.
 */
import type { Subjects } from './subjects.js';

export type BusHeaders = Record<string, string>;

export interface BusMessage {
  subject: string;
  data: Uint8Array;
  headers: BusHeaders;
}

export interface RequestOptions {
  timeoutMs: number;
  headers?: BusHeaders;
}

/** What a request handler answers; the adapter sends it as the reply. */
export interface Reply {
  data: Uint8Array;
  headers?: BusHeaders;
}

export interface Subscription {
  /** Stops delivery; messages already handed to the handler finish. Idempotent. */
  close(): Promise<void>;
}

/** One delivery of a durable event. */
export interface EventDelivery extends BusMessage {
  /** 1 on the first delivery. */
  deliveryCount: number;
  /** Stream sequence: identifies the event across redeliveries. */
  sequence: number;
}

/** What the consumer decided about a delivery. */
export type Disposition = { ack: true } | { nak: true; delayMs: number } | { term: true };

export interface ConsumerSpec {
  /** Durable name shared by every replica of the subscribing service. */
  durable: string;
  /** Full subject, e.g. `bosun.events.user.created`. */
  filterSubject: string;
  /** How long a delivery may stay unanswered before it is redelivered. Default 30_000. */
  ackWaitMs?: number;
  /** Deliveries handled at once by this member. Default 1. */
  concurrency?: number;
}

export interface Transport {
  /** `nats` or `in-process`. */
  readonly kind: string;
  readonly subjects: Subjects;
  /** Request/reply; rejects with BOSUN_BUS_NO_RESPONDERS or BOSUN_TIMEOUT. */
  request(subject: string, data: Uint8Array, options: RequestOptions): Promise<BusMessage>;
  /**
   * Serves requests in a queue group; the handler's result is the reply. Resolves once the
   * broker knows the subscription (SERVING_ON_RETURN): a request sent after that, from any
   * connection, finds this responder.
   */
  serve(
    subject: string,
    options: { queue: string },
    handler: (request: BusMessage) => Promise<Reply>,
  ): Promise<Subscription>;
  /** Fire-and-forget publish (registry heartbeats). */
  publish(subject: string, data: Uint8Array, headers?: BusHeaders): Promise<void>;
  /** Plain subscription, no durability (registry view, tests). Wildcards `*` and `>` work. */
  subscribe(subject: string, handler: (message: BusMessage) => void): Promise<Subscription>;
  /**
   * Durable publish: resolves once the event is stored. `id` de-duplicates retries of the
   * same publish (within the adapter's duplicate window).
   */
  publishDurable(
    subject: string,
    data: Uint8Array,
    options: { id: string; headers?: BusHeaders },
  ): Promise<void>;
  /** Creates the streams for events and dead letters if they do not exist (idempotent). */
  ensureStreams(): Promise<void>;
  /** Joins (creating if needed) a durable consumer; deliveries go to `handler`. */
  consume(
    spec: ConsumerSpec,
    handler: (delivery: EventDelivery) => Promise<Disposition>,
  ): Promise<Subscription>;
  /** Closes the connection after in-flight handlers finish. Idempotent. */
  close(): Promise<void>;
}

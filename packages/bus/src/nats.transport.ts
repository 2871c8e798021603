/**
 * NATS adapter of the Transport port: core NATS for request/reply and heartbeats,
 * JetStream for durable events (stream `<ROOT>_EVENTS` on `<root>.events.>`, stream
 * `<ROOT>_DLQ` on `<root>.dlq.>`, pull consumers with explicit ack).
 *
 * Invariants: those of transport.port.ts, plus
 * - STREAMS_ARE_IDEMPOTENT: streams and consumers are created when missing and reused
 *   when present; concurrent replicas creating the same durable is fine.
 * - RECONNECTS_FOREVER: the connection retries the server without limit; calls made while
 *   disconnected fail with BOSUN_BUS_DISCONNECTED or BOSUN_TIMEOUT (both retryable), and
 *   consumers resume pulling after reconnect.
 * - PUBLISH_IS_DEDUPLICATED: a durable publish carries its id as Nats-Msg-Id, so retrying
 *   a publish whose ack was lost stores the event once.
 * - ONE_INBOX_PER_CONNECTION: requests share one wildcard inbox subscription
 *   (`_INBOX.<nuid>.*`) and are told apart by a per-connection counter in the reply
 *   subject; a reply for an unknown or finished request is dropped. No responders (a 503
 *   status with no body) -> BOSUN_BUS_NO_RESPONDERS; no reply in time -> BOSUN_TIMEOUT;
 *   requests pending when the connection closes -> BOSUN_BUS_CLOSED.
 * Performance: the connection sets `noAsyncTraces` (nats.js would otherwise capture stacks
 * per call; errors are rebuilt as coded BosunErrors here anyway), requests bypass
 * nc.request (which still builds a `RequestError("cancelled")`, a timeout promise and a
 * Promise.race per call), headers are parsed only when read (a class getter, not an object
 * literal's), and serve() counts requests in flight instead of keeping a promise each.
 */
import { coreErrors, isBosunError } from '@bosun/core';
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import {
  ClosedConnectionError,
  connect,
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  NoRespondersError,
  nanos,
  headers as natsHeaders,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import { busErrors } from './bus.errors.js';
import { DEFAULT_ROOT, subjectsFor } from './subjects.js';
import type {
  BusHeaders,
  BusMessage,
  Disposition,
  EventDelivery,
  Subscription,
  Transport,
} from './transport.port.js';

export interface NatsTransportOptions {
  /** e.g. `nats://127.0.0.1:4222` (the service's NATS_URL). */
  servers: string | string[];
  /** Connection name shown by the server (`<service>@<host>`). */
  name?: string;
  /** Subject root. Default `bosun`. */
  root?: string;
  /** Delay between reconnect attempts. Default 1000 ms. */
  reconnectTimeWaitMs?: number;
  /** Window in which a repeated event id is stored once. Default 120_000 ms. */
  duplicateWindowMs?: number;
  /** How long the streams keep events (and dead letters) when creating them. Default 7 days. */
  maxAgeMs?: number;
}

function toHeaders(values: BusHeaders | undefined): MsgHdrs | undefined {
  // for..in, not Object.keys/entries: no arrays allocated per message. append, not set: the
  // keys of an object are distinct, so set's lookup-and-delete of an earlier value finds nothing.
  let h: MsgHdrs | undefined;
  for (const k in values) {
    h ??= natsHeaders();
    h.append(k, values[k]!);
  }
  return h;
}

function fromHeaders(h: MsgHdrs | undefined): BusHeaders {
  const out: BusHeaders = {};
  if (!h) return out;
  for (const [k, v] of h) if (v[0] !== undefined) out[k.toLowerCase()] = v[0];
  return out;
}

/**
 * A BusMessage whose headers are parsed on first read (RPC callers never read them). A class:
 * a getter on the prototype costs nothing per message, one in an object literal costs a
 * closure and a fresh accessor. `headers` is therefore not an own property (a spread copy
 * of the message has subject and data only).
 */
class NatsMessage implements BusMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly #msg: Msg;
  #parsed: BusHeaders | undefined;
  constructor(m: Msg) {
    this.subject = m.subject;
    this.data = m.data;
    this.#msg = m;
  }
  get headers(): BusHeaders {
    this.#parsed ??= fromHeaders(this.#msg.headers);
    return this.#parsed;
  }
}
const toMessage = (m: Msg): BusMessage => new NatsMessage(m);

interface PendingRequest {
  subject: string;
  timeoutMs: number;
  timer: NodeJS.Timeout;
  resolve(message: BusMessage): void;
  reject(error: Error): void;
}

function mapError(error: unknown, subject: string, timeoutMs?: number): Error {
  if (isBosunError(error)) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  if (
    error instanceof NoRespondersError ||
    cause instanceof NoRespondersError ||
    (error instanceof RequestError && error.isNoResponders())
  ) {
    return busErrors.create('BOSUN_BUS_NO_RESPONDERS', `Nothing serves "${subject}".`, {
      meta: { subject },
      cause: error,
    });
  }
  if (error instanceof TimeoutError || cause instanceof TimeoutError) {
    return coreErrors.create('BOSUN_TIMEOUT', `No reply on "${subject}" within ${timeoutMs ?? '?'} ms.`, {
      cause: error,
    });
  }
  if (error instanceof ClosedConnectionError) {
    return busErrors.create('BOSUN_BUS_CLOSED', 'The NATS connection was closed by this process.', {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return busErrors.create('BOSUN_BUS_DISCONNECTED', `NATS call on "${subject}" failed: ${message}`, {
    cause: error,
  });
}

/** Connects to NATS; resolves once the first connection is up. */
export async function createNatsTransport(options: NatsTransportOptions): Promise<Transport> {
  const subjects = subjectsFor(options.root ?? DEFAULT_ROOT);
  const nc: NatsConnection = await connect({
    servers: options.servers,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
    // No stack capture per request; failures become coded BosunErrors in mapError.
    noAsyncTraces: true,
  });
  const js: JetStreamClient = jetstream(nc);
  let jsm: JetStreamManager | undefined;
  let streamsReady: Promise<void> | undefined;
  const closers = new Set<() => Promise<void>>();
  let closing: Promise<void> | undefined;

  // ONE_INBOX_PER_CONNECTION: replies arrive on `${inboxPrefix}<id>`.
  const inboxPrefix = `${createInbox()}.`;
  const pending = new Map<string, PendingRequest>();
  let nextRequestId = 0;
  let inbox: ReturnType<NatsConnection['subscribe']> | undefined;
  const failPending = (error: (p: PendingRequest) => Error) => {
    for (const [id, p] of pending) {
      pending.delete(id);
      clearTimeout(p.timer);
      p.reject(error(p));
    }
  };
  const openInbox = () => {
    if (inbox && !inbox.isClosed()) return;
    inbox = nc.subscribe(`${inboxPrefix}*`, {
      callback: (err, msg) => {
        if (err) {
          // The inbox subscription itself failed (e.g. a permission error): nothing pending can be answered.
          inbox = undefined;
          failPending((p) => mapError(err, p.subject, p.timeoutMs));
          return;
        }
        const id = msg.subject.slice(inboxPrefix.length);
        const p = pending.get(id);
        if (!p) return;
        pending.delete(id);
        clearTimeout(p.timer);
        if (msg.data.length === 0 && msg.headers?.code === 503) {
          p.reject(mapError(new NoRespondersError(p.subject), p.subject, p.timeoutMs));
        } else {
          p.resolve(toMessage(msg));
        }
      },
    });
  };
  void nc
    .closed()
    .then(() =>
      failPending(() =>
        busErrors.create('BOSUN_BUS_CLOSED', 'The NATS connection closed before the reply came.'),
      ),
    );

  const manager = async () => {
    jsm ??= await jetstreamManager(nc);
    return jsm;
  };
  const addStream = async (name: string, subject: string) => {
    const m = await manager();
    const config = {
      name,
      subjects: [subject],
      storage: StorageType.File,
      duplicate_window: nanos(options.duplicateWindowMs ?? 120_000),
      max_age: nanos(options.maxAgeMs ?? 7 * 24 * 3600_000),
    };
    try {
      await m.streams.add(config);
    } catch (error) {
      // Already there (possibly with settings an operator changed): use it as it is.
      await m.streams.info(name).catch(() => {
        throw error;
      });
    }
  };
  const ensureStreams = () => {
    streamsReady ??= (async () => {
      await addStream(subjects.eventsStream, subjects.eventsWildcard);
      await addStream(subjects.deadLetterStream, subjects.deadLetterWildcard);
    })().catch((error) => {
      streamsReady = undefined;
      throw mapError(error, subjects.eventsWildcard);
    });
    return streamsReady;
  };
  const track = (close: () => Promise<void>): Subscription => {
    let done: Promise<void> | undefined;
    const closeOnce = () => {
      done ??= close().finally(() => closers.delete(closeOnce));
      return done;
    };
    closers.add(closeOnce);
    return { close: closeOnce };
  };

  return {
    kind: 'nats',
    subjects,
    request(subject, data, { timeoutMs, headers }) {
      return new Promise<BusMessage>((resolve, reject) => {
        try {
          openInbox();
          const id = (nextRequestId++).toString(36);
          const timer = setTimeout(() => {
            if (pending.delete(id)) reject(mapError(new TimeoutError(), subject, timeoutMs));
          }, timeoutMs);
          pending.set(id, { subject, timeoutMs, timer, resolve, reject });
          try {
            nc.publish(subject, data, { reply: inboxPrefix + id, headers: toHeaders(headers) });
          } catch (error) {
            pending.delete(id);
            clearTimeout(timer);
            throw error;
          }
        } catch (error) {
          reject(mapError(error, subject, timeoutMs));
        }
      });
    },
    async serve(subject, { queue }, handler) {
      // A count and one idle waiter list, not a Set of promises: one .then per request.
      let inFlight = 0;
      let idle: Array<() => void> = [];
      const settle = () => {
        if (--inFlight > 0) return;
        const wake = idle;
        idle = [];
        for (const w of wake) w();
      };
      const sub = nc.subscribe(subject, {
        queue,
        callback: (err, msg) => {
          if (err) return;
          inFlight++;
          let run: ReturnType<typeof handler>;
          try {
            run = handler(toMessage(msg));
          } catch {
            settle();
            return;
          }
          run.then((reply) => {
            try {
              msg.respond(reply.data, { headers: toHeaders(reply.headers) });
            } catch {
              // The connection is closing: the caller gets BOSUN_BUS_CLOSED or a timeout.
            }
            settle();
          }, settle);
        },
      });
      // SERVING_ON_RETURN: the server knows the subscription before serve() resolves, so a
      // caller on another connection that starts once we report ready never sees "no responders".
      await nc.flush();
      return track(async () => {
        if (!sub.isClosed()) await sub.drain().catch(() => {});
        if (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
      });
    },
    async publish(subject, data, headers) {
      try {
        nc.publish(subject, data, { headers: toHeaders(headers) });
      } catch (error) {
        throw mapError(error, subject);
      }
    },
    async subscribe(subject, handler) {
      const sub = nc.subscribe(subject, {
        callback: (err, msg) => {
          if (!err) handler(toMessage(msg));
        },
      });
      await nc.flush(); // SERVING_ON_RETURN, as in serve()
      return track(async () => {
        if (!sub.isClosed()) sub.unsubscribe();
      });
    },
    async publishDurable(subject, data, { id, headers }) {
      await ensureStreams();
      try {
        await js.publish(subject, data, { msgID: id, headers: toHeaders(headers) });
      } catch (error) {
        throw mapError(error, subject);
      }
    },
    ensureStreams,
    async consume(spec, handler) {
      await ensureStreams();
      const stream = spec.filterSubject.startsWith(`${subjects.root}.dlq.`)
        ? subjects.deadLetterStream
        : subjects.eventsStream;
      const m = await manager();
      const config = {
        durable_name: spec.durable,
        filter_subject: spec.filterSubject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(spec.ackWaitMs ?? 30_000),
        max_deliver: -1,
      };
      try {
        await m.consumers.add(stream, config);
      } catch (error) {
        await m.consumers.info(stream, spec.durable).catch(() => {
          throw mapError(error, spec.filterSubject);
        });
      }
      const consumer = await js.consumers.get(stream, spec.durable);
      const concurrency = Math.max(1, spec.concurrency ?? 1);
      const messages = await consumer.consume({
        max_messages: Math.max(10, concurrency * 2),
        expires: 5_000,
      });
      const running = new Set<Promise<void>>();
      const loop = (async () => {
        for await (const msg of messages) {
          const delivery: EventDelivery = {
            subject: msg.subject,
            data: msg.data,
            headers: fromHeaders(msg.headers),
            deliveryCount: msg.info.deliveryCount,
            sequence: msg.seq,
          };
          const run = handler(delivery)
            .catch((): Disposition => ({ nak: true, delayMs: 0 }))
            .then((d) => {
              if ('ack' in d) msg.ack();
              else if ('term' in d) msg.term();
              else msg.nak(d.delayMs);
            });
          running.add(run);
          void run.finally(() => running.delete(run));
          if (running.size >= concurrency) await Promise.race(running);
        }
      })();
      return track(async () => {
        messages.stop();
        await loop.catch(() => {});
        await Promise.allSettled([...running]);
      });
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled([...closers].map((c) => c()));
        if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
        await nc.closed();
      })();
      return closing;
    },
  };
}

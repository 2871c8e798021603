/**
 * In-process adapter of the Transport port: for single-process runs (NATS_URL unset)
 * and tests. Each transport is one "connection" to a broker; transports created on the
 * same broker see each other, like clients of one NATS server.
 *
 * Invariants: those of transport.port.ts (the contract suite runs against this adapter),
 * plus CLOSED_IS_FINAL: after close() every call rejects with BOSUN_BUS_CLOSED.
 */
import { coreErrors } from '@bosun/core';
import { busErrors } from './bus.errors.js';
import { createInProcessBroker, type InProcessBroker } from './in-process.broker.js';
import { subjectMatches } from './subject-match.js';
import { DEFAULT_ROOT, subjectsFor } from './subjects.js';
import type { BusMessage, Subscription, Transport } from './transport.port.js';

export interface InProcessTransportOptions {
  /** Transports on the same broker talk to each other. Default: one broker per process. */
  broker?: InProcessBroker;
  /** Subject root. Default `bosun`. */
  root?: string;
}

let processBroker: InProcessBroker | undefined;

/**
 * @example
 * const broker = createInProcessBroker();
 * const a = createInProcessTransport({ broker }); const b = createInProcessTransport({ broker });
 */
export function createInProcessTransport(options: InProcessTransportOptions = {}): Transport {
  processBroker ??= createInProcessBroker();
  const broker = options.broker ?? processBroker;
  const subjects = subjectsFor(options.root ?? DEFAULT_ROOT);
  const closers = new Set<() => Promise<void> | void>();
  let closed = false;

  const assertOpen = () => {
    if (closed) throw busErrors.create('BOSUN_BUS_CLOSED', 'This in-process transport was closed.');
  };
  const track = (close: () => Promise<void> | void): Subscription => {
    let done: Promise<void> | undefined;
    const sub = {
      close: () => {
        done ??= (async () => {
          closers.delete(sub.close);
          await close();
        })();
        return done;
      },
    };
    closers.add(sub.close);
    return sub;
  };

  return {
    kind: 'in-process',
    subjects,
    async request(subject, data, { timeoutMs, headers = {} }) {
      assertOpen();
      const targets = broker.pickServers(subject);
      if (targets.length === 0) {
        throw busErrors.create('BOSUN_BUS_NO_RESPONDERS', `Nothing serves "${subject}".`, {
          meta: { subject },
        });
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(coreErrors.create('BOSUN_TIMEOUT', `No reply on "${subject}" within ${timeoutMs} ms.`)),
          timeoutMs,
        );
      });
      // A handler that throws sends no reply, as over NATS: the caller times out.
      const replies = targets.map((t) =>
        t
          .handler({ subject, data: data.slice(), headers: { ...headers } })
          .then((r): BusMessage => ({ subject, data: r.data.slice(), headers: { ...(r.headers ?? {}) } }))
          .catch(() => new Promise<never>(() => {})),
      );
      try {
        return await Promise.race([timeout, ...replies]);
      } finally {
        clearTimeout(timer);
      }
    },
    async serve(subject, { queue }, handler) {
      assertOpen();
      const inFlight = new Set<Promise<unknown>>();
      let open = true;
      const remove = broker.addServer({
        subject,
        queue,
        handler: (request) => {
          if (!open) return new Promise<never>(() => {});
          const run = handler(request);
          inFlight.add(run);
          void run.catch(() => {}).finally(() => inFlight.delete(run));
          return run;
        },
      });
      return track(async () => {
        open = false;
        remove();
        await Promise.allSettled([...inFlight]);
      });
    },
    async publish(subject, data, headers = {}) {
      assertOpen();
      for (const s of [...broker.subscribers]) {
        if (!subjectMatches(s.pattern, subject)) continue;
        const copy = { subject, data: data.slice(), headers: { ...headers } };
        setImmediate(() => s.handler(copy));
      }
    },
    async subscribe(pattern, handler) {
      assertOpen();
      const entry = { pattern, handler };
      broker.subscribers.add(entry);
      return track(() => {
        broker.subscribers.delete(entry);
      });
    },
    async publishDurable(subject, data, { id, headers = {} }) {
      assertOpen();
      broker.storeEvent(subject, data, headers, id);
      // Like JetStream, a stored event is also visible to plain subscribers.
      await this.publish(subject, data, headers);
    },
    async ensureStreams() {
      assertOpen();
    },
    async consume(spec, handler) {
      assertOpen();
      const leave = broker.join(spec.durable, spec.filterSubject, {
        concurrency: spec.concurrency ?? 1,
        inFlight: 0,
        handler,
        settled: new Set(),
      });
      return track(leave);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...closers].map((c) => c()));
    },
  };
}

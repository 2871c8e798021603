/**
 * Platform events to the gateway's streams: one plain (non-durable) bus subscription on
 * `<root>.events.>` per gateway, opened with the first stream, handing each event to every
 * stream whose topics match it and whose user the topic policy allows.
 *
 * Not here: who may ask for which topic at connect (stream-topics.ts, stream-route.ts).
 *
 * Invariants:
 * - STREAM_NEVER_STEALS_DELIVERIES: the subscription is `transport.subscribe`, never a durable
 *   consumer, so services' consumers (DURABLE_SINGLE_DELIVERY) get every event exactly as
 *   before; a stream sees only events published while it is open (no replay, no redelivery).
 * - SUBJECT_IS_THE_BUS_SUBJECT: the policy judges the subject the event arrived on, not the
 *   `subject` inside the envelope, which the publisher wrote.
 * - TOPIC_NEEDS_ITS_SCOPE (stream-topics.ts) is applied to every event for every stream.
 */
import type { Subscription, Transport } from '@bosun/bus';
import type { Logger } from '@bosun/core';
import type { SseStream } from './sse-streams.js';
import { matchesSubject, type TopicPolicy } from './stream-topics.js';

export interface EventWatcher {
  stream: SseStream;
  topics: readonly string[];
  scopes: readonly string[];
}

export interface EventFanOut {
  /** Resolves once the bus subscription exists: an event published after it reaches `watch`ers. */
  ready(): Promise<void>;
  watch(watcher: EventWatcher): () => void;
  close(): Promise<void>;
}

interface Envelope {
  id?: unknown;
  source?: unknown;
  time?: unknown;
  data?: unknown;
}

const decoder = new TextDecoder();

export function createEventFanOut(options: {
  transport: () => Transport;
  policy: TopicPolicy;
  log: Logger;
}): EventFanOut {
  const watchers = new Set<EventWatcher>();
  let subscription: Promise<Subscription> | undefined;

  const deliver = (transport: Transport, busSubject: string, data: Uint8Array) => {
    if (watchers.size === 0) return;
    const subject = transport.subjects.eventName(busSubject);
    let envelope: Envelope;
    try {
      envelope = JSON.parse(decoder.decode(data)) as Envelope;
    } catch {
      options.log.debug({ subject }, 'stream: an event that is not JSON was skipped');
      return;
    }
    const id = typeof envelope.id === 'string' ? envelope.id : undefined;
    const event = { subject, id, source: envelope.source, time: envelope.time, data: envelope.data };
    for (const watcher of watchers) {
      if (!watcher.topics.some((topic) => matchesSubject(topic, subject))) continue;
      if (!options.policy.allows(subject, watcher.scopes)) continue;
      watcher.stream.send('event', event, id);
    }
  };

  return {
    ready() {
      if (!subscription) {
        const transport = options.transport();
        subscription = transport.subscribe(transport.subjects.eventsWildcard, (message) =>
          deliver(transport, message.subject, message.data),
        );
        // A failed subscribe is retried by the next stream instead of failing every stream for good.
        subscription.catch(() => {
          subscription = undefined;
        });
      }
      return subscription.then(() => undefined);
    },
    watch(watcher) {
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
    async close() {
      watchers.clear();
      const pending = subscription;
      subscription = undefined;
      await (await pending?.catch(() => undefined))?.close();
    },
  };
}

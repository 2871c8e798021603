/**
 * The queue's typed events, named `subject:verb`. LISTENERS_NEVER_BREAK_THE_ENGINE:
 * a listener that throws (or rejects) is logged and ignored; emit never throws.
 */
import type { QueueLogger, StoredError } from './types.js';

export interface QueueEvents {
  'job:completed': { name: string; id: string; attempt: number; durationMs: number };
  /** The attempt failed; `willRetry` says whether the job goes back to the queue. */
  'job:failed': { name: string; id: string; attempt: number; error: StoredError; willRetry: boolean };
  'job:retried': { name: string; id: string; attempt: number };
  'job:dead-lettered': { name: string; id: string; deadLetter: string; deadLetterId: string };
  'job:expired': { count: number };
  'job:released': { name: string; count: number };
  'worker:error': { name: string; error: unknown };
  'queue:error': { during: string; error: unknown };
  'schedule:ticked': { name: string; key: string; tick: Date; id: string };
}

export type QueueEventName = keyof QueueEvents;
export type QueueListener<E extends QueueEventName> = (payload: QueueEvents[E]) => unknown;

export interface QueueEmitter {
  on<E extends QueueEventName>(event: E, listener: QueueListener<E>): () => void;
  has(event: QueueEventName): boolean;
  emit<E extends QueueEventName>(event: E, payload: QueueEvents[E]): void;
}

export function createEmitter(log: QueueLogger): QueueEmitter {
  const listeners = new Map<QueueEventName, Set<(payload: unknown) => unknown>>();
  const report = (event: string, error: unknown) =>
    log.error({ event, err: error }, 'queue event listener threw');
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const fn = listener as (payload: unknown) => unknown;
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
    has(event) {
      return (listeners.get(event)?.size ?? 0) > 0;
    },
    emit(event, payload) {
      const set = listeners.get(event);
      if (!set) return;
      for (const fn of set) {
        try {
          const result = fn(payload);
          if (result instanceof Promise) result.catch((error) => report(event, error));
        } catch (error) {
          report(event, error);
        }
      }
    },
  };
}

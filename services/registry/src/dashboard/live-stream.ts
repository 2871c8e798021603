/**
 * The dashboard's live updates: a server-sent event stream per open page that re-renders
 * that page's live region every REGISTRY_REFRESH_MS and sends it only when it changed.
 *
 * Invariants:
 * - LIVE_SRC_IS_A_PAGE: `src` must name a dashboard page (page-router.ts); anything else is 404.
 * - STREAMS_ARE_BOUNDED: at most MAX_STREAMS open at once; more get 503 (the browser's
 *   EventSource retries).
 * - STREAMS_CLOSE_ON_SHUTDOWN: the route is long-lived (LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT),
 *   so close() ends every stream from the app's preClose hook, and drain never waits on them.
 */
import type { ServerResponse } from 'node:http';
import type { PageView } from './layout.js';

export const MAX_STREAMS = 64;

export interface LiveStreams {
  open(res: ServerResponse, render: () => Promise<PageView>, intervalMs: number): void;
  readonly count: number;
  close(): void;
}

/** One SSE event; every line of a multi-line payload gets its own `data:` field. */
export function sseEvent(event: string, data: string): string {
  return `event: ${event}\n${data
    .split(/\r?\n/)
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;
}

export function createLiveStreams(onError: (error: unknown) => void): LiveStreams {
  const streams = new Set<() => void>();
  return {
    get count() {
      return streams.size;
    },
    open(res, render, intervalMs) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${Math.max(1000, intervalMs)}\n\n`);
      let last = '';
      let busy = false;
      const tick = async () => {
        if (busy) return;
        busy = true;
        try {
          const view = await render();
          const body = view.live.value;
          if (body !== last) {
            last = body;
            res.write(sseEvent('update', body));
          }
        } catch (error) {
          onError(error);
          res.write(sseEvent('problem', 'The registry could not refresh this view; retrying.'));
        } finally {
          busy = false;
        }
      };
      const timer = setInterval(() => void tick(), intervalMs);
      const end = () => {
        clearInterval(timer);
        streams.delete(end);
        if (!res.writableEnded) res.end();
      };
      streams.add(end);
      res.on('close', end);
      void tick();
    },
    close() {
      for (const end of [...streams]) end();
    },
  };
}

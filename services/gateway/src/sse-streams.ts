/**
 * The gateway's open server-sent event streams: admission against the caps, the heartbeat
 * comment, writing events, and ending them — one, or all at drain and close.
 *
 * Not here: what a stream carries (event-fan-out.ts, job-watch.ts) or who may open one
 * (stream-route.ts).
 *
 * Invariants:
 * - STREAMS_ARE_BOUNDED: at most `maxStreams` open per gateway (503 GATEWAY_STREAMS_FULL) and
 *   `maxPerUser` per user id (429 GATEWAY_STREAMS_PER_USER_EXCEEDED), checked before any byte
 *   of the stream is written, so a refusal is an ordinary problem+json answer.
 * - STREAMS_END_ON_DRAIN: closeAll() sends `event: close` with the reason and ends every
 *   stream; the edge calls it when drain starts and again from preClose.
 * - SLOW_CLIENTS_ARE_DROPPED: a client that lets more than `maxBufferedBytes` pile up unread is
 *   ended (reason `slow-client`) instead of growing the gateway's memory without bound.
 * - A stream whose client is already gone when it opens is ended at once (its `close` event has
 *   fired), so it never holds a slot.
 * - HEARTBEAT_KEEPS_PROXIES_OPEN: a `: ping` comment every `heartbeatMs` (default 15 s), which
 *   EventSource ignores and idle-timeout proxies count as traffic.
 */
import type { ServerResponse } from 'node:http';
import { gatewayErrors } from './gateway.errors.js';

export type CloseReason = 'draining' | 'token-expired' | 'job-finished' | 'slow-client';

export interface SseStream {
  readonly userId: string;
  /** Writes one event; `data` is JSON-encoded (one line, so one `data:` field). */
  send(event: string, data: unknown, id?: string): void;
  /** Sends `event: close` with the reason, then ends the response. Idempotent. */
  close(reason: CloseReason): void;
  readonly closed: boolean;
  /** Runs once when the stream ends, whoever ended it (the client, the gateway). */
  onEnd(listener: () => void): void;
}

export interface SseStreamsOptions {
  maxStreams: number;
  maxPerUser: number;
  heartbeatMs: number;
  /** Default 1 MiB. */
  maxBufferedBytes?: number;
  /** What EventSource waits before reconnecting after the stream ends. Default 3000 ms. */
  retryMs?: number;
}

export interface SseStreams {
  readonly count: number;
  /** Throws the cap's code when full (STREAMS_ARE_BOUNDED); call before writing anything. */
  admit(userId: string): void;
  /** Writes the headers (plus `headers`, e.g. helmet's and the request id) and registers the stream. */
  open(res: ServerResponse, userId: string, headers: Record<string, unknown>): SseStream;
  closeAll(reason: CloseReason): void;
}

export function createSseStreams(options: SseStreamsOptions): SseStreams {
  const open = new Set<SseStream>();
  const perUser = new Map<string, number>();
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;

  return {
    get count() {
      return open.size;
    },
    admit(userId) {
      // The user's own cap first: it tells the one client holding many streams that it is the cause.
      if ((perUser.get(userId) ?? 0) >= options.maxPerUser) {
        throw gatewayErrors.create(
          'GATEWAY_STREAMS_PER_USER_EXCEEDED',
          `This user already holds ${options.maxPerUser} streams (GATEWAY_STREAM_MAX_PER_USER); close one, or watch several topics and a job on one stream.`,
        );
      }
      if (open.size >= options.maxStreams) {
        throw gatewayErrors.create(
          'GATEWAY_STREAMS_FULL',
          `This gateway already holds ${options.maxStreams} streams (GATEWAY_STREAM_MAX); reconnect with backoff.`,
        );
      }
    },
    open(res, userId, headers) {
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${options.retryMs ?? 3000}\n\n`);
      const listeners: Array<() => void> = [];
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        open.delete(stream);
        const left = (perUser.get(userId) ?? 1) - 1;
        if (left > 0) perUser.set(userId, left);
        else perUser.delete(userId);
        if (!res.writableEnded) res.end();
        for (const listener of listeners) listener();
      };
      const write = (chunk: string) => {
        if (ended) return;
        res.write(chunk);
        if (res.writableLength > maxBuffered) stream.close('slow-client');
      };
      const stream: SseStream = {
        userId,
        get closed() {
          return ended;
        },
        send(event, data, id) {
          write(`event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
        },
        close(reason) {
          if (ended) return;
          // Past the buffer limit the close event would only queue behind what the client never read.
          if (reason !== 'slow-client') res.write(`event: close\ndata: ${JSON.stringify({ reason })}\n\n`);
          end();
        },
        onEnd(listener) {
          if (ended) listener();
          else listeners.push(listener);
        },
      };
      const timer = setInterval(() => write(': ping\n\n'), options.heartbeatMs);
      timer.unref?.();
      open.add(stream);
      perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
      res.on('close', end);
      // A client that left while the route awaited its checks already fired `close`: without this
      // its slot would count against the caps for ever.
      if (res.destroyed || res.socket?.destroyed !== false) end();
      return stream;
    },
    closeAll(reason) {
      for (const stream of [...open]) stream.close(reason);
    },
  };
}

/**
 * `GET /stream?topics=user.created,order.>&job=<id>`: server-sent events for platform events
 * and one job's progress, for a signed-in user. The token comes from `Authorization: Bearer`
 * or, because a browser's EventSource cannot set headers, from `access_token=`.
 *
 * Wire format (docs/services/gateway.md): `event: ready` first (topics, job, expiresAt), then
 * `event: event` (id = event id) with `{ subject, id, source, time, data }`, `event: job` with
 * getJob's answer whenever it changes, `event: problem` when a job read failed, `: ping`
 * comments, and `event: close` with `{ reason }` just before the gateway ends the stream.
 *
 * Not here: the caps and the writing (sse-streams.ts), the topic rules (stream-topics.ts), the
 * bus subscription (event-fan-out.ts), the job polling (job-watch.ts).
 *
 * Invariants:
 * - STREAM_NEEDS_A_USER: no token is 401 BOSUN_UNAUTHENTICATED, a bad one 401 BOSUN_AUTH_*;
 *   nothing is public on the stream.
 * - REFUSALS_BEFORE_THE_STREAM: authentication, the topics, the job's first read and the caps
 *   are all decided before the 200 is written, so every refusal is a coded problem+json answer.
 * - TOKEN_IS_NEVER_LOGGED: the query string never reaches a log line or a metric label (the edge
 *   labels by route template and logs codes and request ids only).
 * - STREAM_ENDS_WITH_THE_TOKEN: the stream closes (reason `token-expired`) when the token's `exp`
 *   passes; the client reconnects with a fresh token, so a revoked user loses the stream within
 *   one access-token lifetime.
 * - LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT (@bosun/http): the route is `longLived`, so drain does not
 *   wait for it; STREAMS_END_ON_DRAIN ends it instead.
 */
import { coreErrors, validationError } from '@bosun/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Access } from './access.js';
import type { Catalog, CatalogEntry } from './catalog.js';
import type { EventFanOut } from './event-fan-out.js';
import type { Forwarder, ForwardOptions } from './forwarder.js';
import { isTerminalJob, watchJob } from './job-watch.js';
import type { SseStreams } from './sse-streams.js';
import { patternProblem, type TopicPolicy } from './stream-topics.js';

export const STREAM_PATH = '/stream';
const MAX_TOPICS = 16;

export interface StreamRouteOptions {
  catalog: Catalog;
  access: Access;
  forwarder: Forwarder;
  streams: SseStreams;
  fanOut: EventFanOut;
  policy: TopicPolicy;
  /** The service whose `getJob` operation answers `job=` (GATEWAY_JOBS_SERVICE). */
  jobsService: string;
  jobPollMs: number;
  /** The clock for token expiry. Default Date.now. */
  now?: () => number;
}

const StreamQuery = z
  .object({
    topics: z
      .string()
      .optional()
      .transform((text) => [
        ...new Set(
          (text ?? '')
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ])
      .check((ctx) => {
        if (ctx.value.length > MAX_TOPICS)
          ctx.issues.push({ code: 'custom', message: `at most ${MAX_TOPICS} topics`, input: ctx.value });
        for (const topic of ctx.value) {
          const problem = patternProblem(topic);
          if (problem) ctx.issues.push({ code: 'custom', message: problem, input: topic });
        }
      }),
    job: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a job id: letters, digits, _ or -')
      .optional(),
    access_token: z.string().min(1).optional(),
  })
  .refine((q) => q.topics.length > 0 || q.job !== undefined, {
    message: 'pass topics=<subject pattern,...> and/or job=<job id>',
    path: ['topics'],
  });

const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Milliseconds until the verified token's `exp` (the verifier requires one). */
function untilExpiry(claims: Record<string, unknown> | undefined, now: number): number | undefined {
  const exp = claims?.exp;
  return typeof exp === 'number' ? Math.max(0, exp * 1000 - now) : undefined;
}

export function registerStreamRoute(app: FastifyInstance, options: StreamRouteOptions): void {
  const { access, catalog, forwarder, streams, fanOut, policy } = options;
  const now = options.now ?? Date.now;

  app.get(STREAM_PATH, { config: { longLived: true } }, async (req, reply) => {
    const parsed = StreamQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw validationError(parsed.error, 'stream query');
    const query = parsed.data;
    // The header wins: a query token is only for clients that cannot set one (EventSource).
    const authorization =
      header(req, 'authorization') ?? (query.access_token ? `Bearer ${query.access_token}` : undefined);
    const { user } = await access.authenticate(authorization, 'The event stream');
    for (const topic of query.topics) policy.assertTopic(topic, user.scopes);

    let job: { id: string; entry: CatalogEntry; first: unknown } | undefined;
    const call: ForwardOptions = {
      onBehalfOf: { edge: 'http' },
      requestId: req.id,
      traceparent: header(req, 'traceparent'),
    };
    if (query.job !== undefined) {
      const entry = findJobs();
      if (!entry) {
        throw coreErrors.create(
          'BOSUN_UNAVAILABLE',
          `Job progress needs the ${options.jobsService} service's getJob operation, which this gateway has not heard of; retry shortly (GATEWAY_JOBS_SERVICE names the service).`,
        );
      }
      call.onBehalfOf = await access.authorize(entry, authorization, 'http');
      const first = await forwarder.forward(entry, { id: query.job }, call);
      job = { id: query.job, entry, first };
    }
    if (query.topics.length > 0) await fanOut.ready();
    streams.admit(user.id);

    reply.hijack();
    const stream = streams.open(reply.raw, user.id, reply.getHeaders());
    const ttl = untilExpiry(user.claims, now());
    stream.send('ready', {
      topics: query.topics,
      job: query.job ?? null,
      expiresAt: ttl === undefined ? null : new Date(now() + ttl).toISOString(),
    });
    const cleanups: Array<() => void> = [];
    if (ttl !== undefined) {
      // setTimeout fires at once past 2^31-1 ms; access tokens live minutes, not weeks.
      const timer = setTimeout(() => stream.close('token-expired'), Math.min(ttl, 2 ** 31 - 1));
      timer.unref?.();
      cleanups.push(() => clearTimeout(timer));
    }
    if (query.topics.length > 0) {
      cleanups.push(fanOut.watch({ stream, topics: query.topics, scopes: [...user.scopes] }));
    }
    if (job) {
      stream.send('job', job.first);
      const finished = () => {
        if (query.topics.length === 0) stream.close('job-finished');
      };
      if (isTerminalJob(job.first)) finished();
      else {
        cleanups.push(
          watchJob({
            stream,
            entry: job.entry,
            forwarder,
            call,
            jobId: job.id,
            first: job.first,
            pollMs: options.jobPollMs,
            onFinished: finished,
          }),
        );
      }
    }
    // Last, so it also runs what was registered when the stream already ended above.
    stream.onEnd(() => {
      for (const cleanup of cleanups) cleanup();
    });
  });

  function findJobs() {
    return catalog.entries().find((e) => e.service === options.jobsService && e.operation === 'getJob');
  }
}

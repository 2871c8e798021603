/**
 * Forwards an edge call to its service over the bus: one resilient client per service,
 * the request id and trace passed along, and the edge request's surface and user handed to
 * the service token (USER_RIDES_IN_THE_TOKEN; over the in-process bus, the local header).
 *
 * Invariants:
 * - NO_RETRIES_AT_THE_EDGE: calls are never retried here; `idempotent` comes from an
 *   unauthenticated heartbeat, and the client at the edge can retry a retryable code itself.
 * - ERROR_CODE_CROSSES_THE_WIRE (@bosun/bus): the callee's BosunError arrives with its code.
 */
import type { ServiceSigner } from '@bosun/auth';
import {
  type BusClient,
  createClient,
  createResilience,
  type OnBehalfOf,
  type Resilience,
  type Transport,
} from '@bosun/bus';
import type { AnyService, SpanTracer } from '@bosun/core';
import type { CatalogEntry } from './catalog.js';

export interface ForwardOptions {
  onBehalfOf: OnBehalfOf;
  requestId: string;
  traceparent?: string;
}

export interface Forwarder {
  forward(entry: CatalogEntry, input: unknown, options: ForwardOptions): Promise<unknown>;
}

export interface ForwarderOptions {
  transport: () => Transport;
  /** Signs the service tokens over NATS; none on the in-process bus. */
  signer?: ServiceSigner;
  timeoutMs: number;
  resilience?: Resilience;
  /** The process's span tracer: each forwarded call runs in a client span (core's span-tracer). */
  tracer?: SpanTracer;
}

export function createForwarder(options: ForwarderOptions): Forwarder {
  const resilience = options.resilience ?? createResilience();
  const clients = new Map<string, { transport: Transport; client: BusClient<AnyService> }>();
  const signer = options.signer;

  const clientFor = (service: string) => {
    const transport = options.transport();
    let known = clients.get(service);
    if (!known || known.transport !== transport) {
      known = {
        transport,
        client: createClient<AnyService>(transport, service, {
          resilience,
          timeoutMs: options.timeoutMs,
          tokenProvider: signer ? (request) => signer.sign(request) : undefined,
          tracer: options.tracer,
        }),
      };
      clients.set(service, known);
    }
    return known.client;
  };

  return {
    forward(entry, input, { onBehalfOf, requestId, traceparent }) {
      return clientFor(entry.service).$call(entry.operation, input, { onBehalfOf, requestId, traceparent });
    },
  };
}

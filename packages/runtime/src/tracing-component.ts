/**
 * Tracing for one process: which SpanTracer the transports get, and, when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, the OpenTelemetry SDK that exports their spans.
 *
 * Invariants:
 * - NO_EXPORTER_REQUIRED: without an endpoint nothing is registered; the transports get the
 *   globally registered provider's tracer if the application registered one itself, else none
 *   (bosun then propagates traceparent with its own ids and runs no span code).
 * - EXPORTER_WHEN_CONFIGURED: with an endpoint, a BasicTracerProvider with a BatchSpanProcessor
 *   and the OTLP/HTTP JSON exporter (`<endpoint>/v1/traces`), `service.name` = the process's
 *   service names joined with `+`, registered as the global provider while the app runs.
 * - SPANS_FLUSH_ON_STOP: the component is registered before every other one, so it stops
 *   last: after every transport drained, before run-service flushes the logs.
 * - SDK_LOADS_ONLY_WHEN_EXPORTING: the SDK (otlp-provider.ts, ~100 ms to load) is imported in
 *   start() and only when an endpoint is set.
 * Not here: sampling choices (the SDK's defaults: parent-based, always on), metrics, logs.
 */
import {
  type Component,
  createSpanTracer,
  globalSpanTracer,
  type Logger,
  type SpanTracer,
} from '@bosun/core';
import { trace } from '@opentelemetry/api';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

export interface TracingParts {
  /** What HTTP, RPC, events and jobs start their spans with; undefined: no spans. */
  tracer: SpanTracer | undefined;
  /** The exporter's lifecycle (register first); undefined without an endpoint. */
  component: Component | undefined;
}

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL, e.g. `http://otel-collector:4318`. */
  endpoint: string | undefined;
  /** The process's service names. */
  services: readonly string[];
  version?: string;
  log: Logger;
}

/** `<endpoint>/v1/traces`, as the OTLP spec builds the signal URL from the base endpoint. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

export function tracingParts(options: TracingOptions): TracingParts {
  if (options.endpoint === undefined) return { tracer: globalSpanTracer(), component: undefined };
  const url = tracesUrl(options.endpoint);
  const log = options.log.child({ component: 'tracing' });
  let provider: BasicTracerProvider | undefined;
  let registered = false;
  // The SDK loads in start(), before any transport starts; until then spans are no-ops.
  let delegate = createSpanTracer(trace.getTracer('bosun'));
  return {
    tracer: {
      start: (name, role, parent, attributes, at) => delegate.start(name, role, parent, attributes, at),
    },
    component: {
      name: 'tracing',
      async start() {
        const { createOtlpProvider } = await import('./otlp-provider.js');
        provider = createOtlpProvider({
          url,
          serviceName: options.services.join('+'),
          serviceVersion: options.version,
        });
        delegate = createSpanTracer(provider.getTracer('bosun'));
        // False when the application registered its own provider first: bosun's spans still
        // go to this exporter, the application's to its own.
        registered = trace.setGlobalTracerProvider(provider);
        log.info({ url }, 'exporting traces over OTLP');
      },
      async stop() {
        if (!provider) return;
        try {
          await provider.forceFlush();
        } catch (error) {
          log.warn({ err: error, url }, 'could not export the last spans; is the collector reachable?');
        }
        await provider.shutdown().catch(() => {});
        if (registered) trace.disable();
        registered = false;
        provider = undefined;
      },
    },
  };
}

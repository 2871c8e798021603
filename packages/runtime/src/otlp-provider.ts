/**
 * The OpenTelemetry SDK part of tracing: a BasicTracerProvider with a BatchSpanProcessor and
 * the OTLP/HTTP JSON exporter. Its own module so that tracing-component.ts loads it with a
 * dynamic import, only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the SDK takes ~100 ms to load;
 * a process without an exporter never pays for it).
 * Not here: when it is registered or flushed (tracing-component.ts).
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface OtlpProviderOptions {
  /** The full traces URL (`<endpoint>/v1/traces`). */
  url: string;
  serviceName: string;
  serviceVersion?: string;
}

export function createOtlpProvider(options: OtlpProviderOptions): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: options.url }))],
  });
}

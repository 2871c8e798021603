/**
 * @bosun/core — the service definition model, the single invocation path, errors,
 * config, lifecycle, health server, logger, metrics and PostgreSQL connection helper.
 */

export type { BosunEnv, Config, ConfigProblem, EnvRecord } from './config/load-config.js';
export { bosunEnvSchema, loadConfig } from './config/load-config.js';
export type {
  Caller,
  DbPort,
  EdgeSurface,
  EventPublisher,
  JobSender,
  JobSendOptions,
  OperationContext,
  RemoteCall,
  RemoteCallOptions,
  Transport,
} from './definition/context.js';
export { defineService } from './definition/define-service.js';
export type { AccessRule } from './definition/edge-access.js';
export { assertAccess, assertEdgeAccess, exposedOn } from './definition/edge-access.js';
export type {
  AnyPrompt,
  EventSubscription,
  EventsSpec,
  PromptMessage,
  PromptSpec,
  ResourceContent,
  ResourceSpec,
} from './definition/extras.js';
export { prompt, resource, subscribe } from './definition/extras.js';
export { getOperation, invoke, parseSchema } from './definition/invoke.js';
export type { AnyJob, Job, JobContext, JobOptions, JobSpec, ScheduleSpec } from './definition/job.js';
export { job } from './definition/job.js';
export type { MinimalContextInit } from './definition/minimal-context.js';
export { minimalContext } from './definition/minimal-context.js';
export type {
  AnyOperation,
  HttpMethod,
  HttpRoute,
  LongRunningOptions,
  McpToolOptions,
  Operation,
  OperationSpec,
} from './definition/operation.js';

export { operation } from './definition/operation.js';
export type {
  AnyService,
  ClientOf,
  ServiceDefinition,
  ServiceSpec,
} from './definition/service-definition.js';
export { normaliseRoute, pathParams } from './definition/validate-definition.js';
export type { BosunErrorInit, BosunErrorJSON } from './errors/bosun-error.js';
export { BosunError, isBosunError } from './errors/bosun-error.js';
export type { CoreErrorCode } from './errors/core.errors.js';
export { coreErrors } from './errors/core.errors.js';
export type { CreateOptions, ErrorRegistry, ErrorSpec } from './errors/error-registry.js';
export { defineErrors, listErrorRegistries } from './errors/error-registry.js';
export type { ValidationIssue } from './errors/normalize-error.js';
export { describeIssues, toBosunError, validationError, zodIssues } from './errors/normalize-error.js';
export type { ProblemDocument, ProblemOptions } from './errors/problem.js';
export { toProblem } from './errors/problem.js';
export type {
  CheckResult,
  HealthServer,
  HealthServerOptions,
  ReadinessReport,
} from './health/health-server.js';
export { createHealthServer } from './health/health-server.js';
export { uuidv7 } from './ids/uuidv7.js';
export type {
  Component,
  DrainResult,
  HealthCheckEntry,
  HealthDetails,
  Lifecycle,
  LifecycleOptions,
  LifecycleState,
  StopResult,
} from './lifecycle/create-lifecycle.js';
export { createLifecycle } from './lifecycle/create-lifecycle.js';
export type { HandleSignalsOptions, MainApp, ProcessLike } from './lifecycle/handle-signals.js';
export { handleSignals, runMain } from './lifecycle/handle-signals.js';
export type { InFlightTracker } from './lifecycle/in-flight.js';
export { trackInFlight } from './lifecycle/in-flight.js';
export type { Logger, LoggerOptions, LogLevel } from './logging/create-logger.js';
export { createLogger, defaultRedactPaths, flushLogger } from './logging/create-logger.js';
export type { Metrics, MetricsOptions } from './metrics/create-metrics.js';
export { createMetrics, defaultLatencyBuckets } from './metrics/create-metrics.js';
export type { MigrateOptions, Migration } from './migrations/run-migrations.js';
export { quoteIdent, runMigrations } from './migrations/run-migrations.js';
export type { ConnectPostgresOptions, PostgresConnection } from './postgres/connect-postgres.js';
export { connectPostgres, describeUrl } from './postgres/connect-postgres.js';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './postgres/embedded-postgres.js';
export { startEmbeddedPostgres } from './postgres/embedded-postgres.js';
export { freePort } from './postgres/free-port.js';
export type { PostgresComponent } from './postgres/postgres-component.js';
export { postgresComponent } from './postgres/postgres-component.js';
export type { SpanHandle, SpanRole, SpanTracer } from './tracing/span-tracer.js';
export { createSpanTracer, globalSpanTracer, hasGlobalTracerProvider } from './tracing/span-tracer.js';
export type { TraceContext } from './tracing/trace-context.js';
export {
  childContext,
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
} from './tracing/trace-context.js';

/**
 * @bosun/core — the service definition model, the single invocation path, errors,
 * config, lifecycle, health server, logger, metrics and PostgreSQL connection helper.
 */
export { BosunError, isBosunError } from './errors/bosun-error.js';
export type { BosunErrorInit, BosunErrorJSON } from './errors/bosun-error.js';
export { defineErrors, listErrorRegistries } from './errors/error-registry.js';
export type { CreateOptions, ErrorRegistry, ErrorSpec } from './errors/error-registry.js';
export { coreErrors } from './errors/core.errors.js';
export type { CoreErrorCode } from './errors/core.errors.js';
export { describeIssues, toBosunError, validationError, zodIssues } from './errors/normalize-error.js';
export type { ValidationIssue } from './errors/normalize-error.js';
export { toProblem } from './errors/problem.js';
export type { ProblemDocument, ProblemOptions } from './errors/problem.js';

export { operation } from './definition/operation.js';
export type {
  AnyOperation,
  HttpMethod,
  HttpRoute,
  LongRunningOptions,
  McpToolOptions,
  Operation,
  OperationSpec,
} from './definition/operation.js';
export { job } from './definition/job.js';
export type { AnyJob, Job, JobContext, JobOptions, JobSpec, ScheduleSpec } from './definition/job.js';
export { prompt, resource, subscribe } from './definition/extras.js';
export type {
  AnyPrompt,
  EventSubscription,
  EventsSpec,
  PromptMessage,
  PromptSpec,
  ResourceContent,
  ResourceSpec,
} from './definition/extras.js';
export { defineService } from './definition/define-service.js';
export type { AnyService, ClientOf, ServiceDefinition, ServiceSpec } from './definition/service-definition.js';
export { normaliseRoute, pathParams } from './definition/validate-definition.js';
export { getOperation, invoke } from './definition/invoke.js';
export type {
  Caller,
  DbPort,
  EventPublisher,
  JobSender,
  JobSendOptions,
  OperationContext,
  Transport,
} from './definition/context.js';
export { quoteIdent, runMigrations } from './migrations/run-migrations.js';
export type { MigrateOptions, Migration } from './migrations/run-migrations.js';

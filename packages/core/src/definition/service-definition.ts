/**
 * The shapes of a service definition: what defineService() accepts and returns, and
 * the typed client derived from it. Types only, so validation and construction can
 * both depend on them without a cycle.
 */
import type { z } from 'zod';
import type { AnyPrompt, EventsSpec, ResourceSpec } from './extras.js';
import type { AnyJob, ScheduleSpec } from './job.js';
import type { AnyOperation } from './operation.js';

export interface ServiceSpec<
  Ops extends Record<string, AnyOperation> = Record<string, AnyOperation>,
  Jobs extends Record<string, AnyJob> = Record<string, AnyJob>,
  Env extends z.ZodObject = z.ZodObject,
> {
  /** kebab-case, unique on the platform: `users`, `voice-gen`. */
  name: string;
  version?: string;
  description?: string;
  /** The service's own environment variables, merged with bosun's. */
  env?: Env;
  operations?: Ops;
  jobs?: Jobs;
  schedules?: Record<string, ScheduleSpec>;
  events?: EventsSpec;
  resources?: Record<string, ResourceSpec>;
  prompts?: Record<string, AnyPrompt>;
  /** SQL migrations of the service's own schema, applied in order at start. */
  migrations?: ReadonlyArray<{ name: string; sql: string }>;
}

export interface ServiceDefinition<
  Ops extends Record<string, AnyOperation> = Record<string, AnyOperation>,
  Jobs extends Record<string, AnyJob> = Record<string, AnyJob>,
  Env extends z.ZodObject = z.ZodObject,
> {
  readonly kind: 'service';
  readonly name: string;
  readonly version: string;
  readonly description: string | undefined;
  readonly env: Env | undefined;
  readonly operations: Ops;
  readonly jobs: Jobs;
  readonly schedules: Readonly<Record<string, Required<Pick<ScheduleSpec, 'cron' | 'job'>> & ScheduleSpec>>;
  readonly events: Required<EventsSpec>;
  readonly resources: Readonly<Record<string, ResourceSpec>>;
  readonly prompts: Readonly<Record<string, AnyPrompt>>;
  readonly migrations: ReadonlyArray<{ name: string; sql: string }>;
}

export type AnyService = ServiceDefinition<Record<string, AnyOperation>, Record<string, AnyJob>, z.ZodObject>;

/** The typed client of a service: each operation as an async function of its input. */
export type ClientOf<S> =
  S extends ServiceDefinition<infer Ops, any, any>
    ? { [K in keyof Ops]: (input: z.input<Ops[K]['input']>) => Promise<z.output<Ops[K]['output']>> }
    : never;

/**
 * Components a process adds beside its services: something that is not a service definition
 * but lives and drains with them — the platform's gateway in one-process mode is the case it
 * was made for. `main.ts` hands them to runService as `components`.
 *
 * Invariants:
 * - COMPONENTS_START_LAST: they are registered after every service's transports, so they start
 *   once the bus, queue and HTTP ports are up, and (STOP_IN_REVERSE) stop first: an edge stops
 *   taking requests before the services behind it drain.
 * - CONFIG_LISTS_EVERY_PROBLEM (core): their `env` schema is parsed with the services' in one
 *   pass, so one error lists every bad variable of the whole process.
 */
import type { Transport } from '@bosun/bus';
import type { Component, HealthServer, Logger, Metrics, SpanTracer } from '@bosun/core';
import type { z } from 'zod';
import type { AppConfig } from './app-config.js';

/** What `create` can use. The transport is a function: it exists once the bus component started. */
export interface ComponentParts {
  /** The process's config, including the variables of `env`. */
  config: AppConfig;
  log: Logger;
  metrics: Metrics;
  health: HealthServer;
  instance: string;
  transport: () => Transport;
  /** The process's span tracer (tracing-component.ts), for a component's own clients and servers; undefined: no spans. */
  tracer: SpanTracer | undefined;
}

export interface ProcessComponents {
  /** Variables the components read; merged into the process's config (refinements included). */
  env?: z.ZodObject;
  create(parts: ComponentParts): Component | ReadonlyArray<Component>;
  /**
   * Base URLs the components serve HTTP on, read once the process is ready and listed in its
   * `serving` log after the services' own (an edge that is the process's HTTP surface).
   */
  urls?: () => ReadonlyArray<string | undefined>;
}

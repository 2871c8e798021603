/**
 * @bosun/runtime — composes a service definition with every bosun package into one
 * production process: config, health, PostgreSQL, migrations, the job queue, REST and MCP.
 */
export type { AppConfig } from './app-config.js';
export { loadAppConfig } from './app-config.js';
export { createApp } from './create-app.js';
export type { App, AppOptions } from './early-parts.js';
export type { HttpComponent } from './http-component.js';
export type { ComponentParts, ProcessComponents } from './process-components.js';
export type { QueueComponent } from './queue-component.js';
export type { RunServiceOptions } from './run-service.js';
export { runService } from './run-service.js';
export { runtimeErrors } from './runtime.errors.js';
export { schemaOf } from './schema-of.js';
export type { ContextBase, ContextFactory } from './service-context.js';
export type { ExtensionParts, ServiceExtension, ServiceExtensions } from './service-extension.js';

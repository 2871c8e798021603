/**
 * defineService(): the one object from which bosun derives HTTP routes, MCP tools,
 * RPC subjects, job workers, schedules and registry entries. It is validated here, at
 * definition time, so a bad definition fails on import with a coded error that names
 * the problem (BOSUN_DEFINITION_INVALID), not at the first request.
 */
import type { z } from 'zod';
import { coreErrors } from '../errors/core.errors.js';
import type { AnyJob, ScheduleSpec } from './job.js';
import type { AnyOperation } from './operation.js';
import type { ServiceDefinition, ServiceSpec } from './service-definition.js';
import { validateDefinition } from './validate-definition.js';

/**
 * Declares a service. Throws BOSUN_DEFINITION_INVALID listing every problem found.
 * @example
 * export const hello = defineService({ name: 'hello', operations: { greet } });
 */
export function defineService<
  Ops extends Record<string, AnyOperation> = {},
  Jobs extends Record<string, AnyJob> = {},
  Env extends z.ZodObject = z.ZodObject<{}>,
>(spec: ServiceSpec<Ops, Jobs, Env>): ServiceDefinition<Ops, Jobs, Env> {
  const schedules: Record<string, ScheduleSpec & { cron: string; job: string }> = {};
  for (const [name, s] of Object.entries(spec.schedules ?? {}))
    schedules[name] = { ...s, job: s.job ?? name };
  const definition: ServiceDefinition<Ops, Jobs, Env> = {
    kind: 'service',
    name: spec.name,
    version: spec.version ?? '0.0.0',
    description: spec.description,
    env: spec.env,
    operations: spec.operations ?? ({} as Ops),
    jobs: spec.jobs ?? ({} as Jobs),
    schedules,
    events: { publishes: spec.events?.publishes ?? {}, subscribes: spec.events?.subscribes ?? {} },
    resources: spec.resources ?? {},
    prompts: spec.prompts ?? {},
    migrations: spec.migrations ?? [],
  };
  const problems = validateDefinition(definition);
  if (problems.length > 0) {
    throw coreErrors.create(
      'BOSUN_DEFINITION_INVALID',
      `Service "${spec.name}" has ${problems.length} problem(s): ${problems.join('; ')}`,
      { meta: { problems } },
    );
  }
  return definition;
}

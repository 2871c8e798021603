/**
 * Structural checks of a service definition. Returns every problem, so one run shows
 * them all. Names follow the rules transports need: service names become NATS subject
 * tokens and hostnames, operation names become MCP tool names and GraphQL fields.
 */
import type { AnyService } from './service-definition.js';

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const OPERATION_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;
const JOB_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/;
const ROUTE = /^(GET|POST|PUT|PATCH|DELETE) (\/(?:[A-Za-z0-9._~-]+|:[a-zA-Z][a-zA-Z0-9_]*)?)+$/;
const CRON_FIELD = /^[\d*/,\-A-Za-z?LW#]+$/;

export function validateDefinition(service: AnyService): string[] {
  const problems: string[] = [];
  if (!SERVICE_NAME.test(service.name)) {
    problems.push(`service name "${service.name}" must be kebab-case (a-z, 0-9, -) and start with a letter`);
  }
  const routes = new Map<string, string>();
  const tools = new Map<string, string>();
  for (const [name, op] of Object.entries(service.operations)) {
    if (!OPERATION_NAME.test(name)) problems.push(`operation name "${name}" must match ${OPERATION_NAME}`);
    if (op?.kind !== 'operation') {
      problems.push(`operation "${name}" must be created with operation({...})`);
      continue;
    }
    if (op.http) {
      const route = normaliseRoute(op.http);
      if (!ROUTE.test(op.http)) {
        problems.push(`operation "${name}": http route "${op.http}" must look like "POST /things/:id"`);
      } else if (routes.has(route)) {
        problems.push(
          `operation "${name}": http route "${op.http}" is already used by "${routes.get(route)}"`,
        );
      } else {
        routes.set(route, name);
        for (const param of pathParams(op.http)) {
          const shape = objectShape(op.input);
          if (shape && !(param in shape)) {
            problems.push(
              `operation "${name}": path parameter ":${param}" is not a field of its input schema`,
            );
          }
        }
      }
    }
    if (op.mcp !== false) {
      const tool = typeof op.mcp === 'object' && op.mcp.name ? op.mcp.name : name;
      if (tools.has(tool))
        problems.push(`operation "${name}": MCP tool name "${tool}" is already used by "${tools.get(tool)}"`);
      tools.set(tool, name);
    }
    if (op.longRunning && !(op.longRunning.job in service.jobs)) {
      problems.push(
        `operation "${name}": longRunning job "${op.longRunning.job}" is not a job of this service`,
      );
    }
  }
  for (const [name, j] of Object.entries(service.jobs)) {
    if (!JOB_NAME.test(name)) problems.push(`job name "${name}" must match ${JOB_NAME}`);
    if (j?.kind !== 'job') problems.push(`job "${name}" must be created with job({...})`);
    if (j?.deadLetter !== undefined && !JOB_NAME.test(j.deadLetter)) {
      problems.push(`job "${name}": deadLetter "${j.deadLetter}" is not a valid queue name`);
    }
  }
  for (const [name, s] of Object.entries(service.schedules)) {
    if (!(s.job in service.jobs)) {
      problems.push(`schedule "${name}" enqueues job "${s.job}", which this service does not define`);
    }
    const fields = s.cron.trim().split(/\s+/);
    if (fields.length < 5 || fields.length > 6 || !fields.every((f) => CRON_FIELD.test(f))) {
      problems.push(`schedule "${name}": cron "${s.cron}" must have 5 or 6 fields, e.g. "*/15 * * * *"`);
    }
    if (s.tz !== undefined && !isTimeZone(s.tz))
      problems.push(`schedule "${name}": unknown time zone "${s.tz}"`);
  }
  const uris = new Map<string, string>();
  for (const [name, r] of Object.entries(service.resources)) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//.test(r.uri))
      problems.push(`resource "${name}": uri "${r.uri}" needs a scheme, e.g. "users://profile/{id}"`);
    if (uris.has(r.uri))
      problems.push(`resource "${name}": uri "${r.uri}" is already used by "${uris.get(r.uri)}"`);
    uris.set(r.uri, name);
  }
  return problems;
}

export function normaliseRoute(route: string): string {
  return route.replace(/:[a-zA-Z][a-zA-Z0-9_]*/g, ':');
}

export function pathParams(route: string): string[] {
  return [...route.matchAll(/:([a-zA-Z][a-zA-Z0-9_]*)/g)].map((m) => m[1]!);
}

function objectShape(schema: unknown): Record<string, unknown> | undefined {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? (shape as Record<string, unknown>) : undefined;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The gateway's catalog: every operation it may expose, rebuilt live from registry
 * heartbeats. An entry names the service, the operation's descriptor, and the names it has
 * on each surface (REST route, GraphQL field, MCP tool).
 *
 * Invariants:
 * - CATALOG_IS_ALLOW_LISTED: with `services` set (GATEWAY_SERVICES, required in production),
 *   heartbeats of any other service add nothing; the gateway never exposes itself.
 * - CATALOG_FOLLOWS_THE_REGISTRY: a service appears with its first heartbeat and leaves with its
 *   goodbye or when every instance is stale (checked every `refreshMs`); listeners hear only
 *   real changes.
 * - Descriptors are hints (HEARTBEAT_IS_UNAUTHENTICATED): the callee re-checks access
 *   (EDGE_ACCESS_IS_RECHECKED), so a forged descriptor can at most make the gateway forward a
 *   call the callee refuses.
 * Not here: authorization (access.ts), calling (forwarder.ts).
 */
import type { OperationInfo, RegistryView } from '@bosun/bus';
import type { HttpMethod } from '@bosun/core';

export interface CatalogRoute {
  method: HttpMethod;
  /** `/api/<service><path>`, Fastify style (`/api/users/users/:id`). */
  path: string;
  /** OpenAPI style (`/api/users/users/{id}`). */
  openapiPath: string;
  params: string[];
  pattern: RegExp;
}

export interface CatalogEntry {
  service: string;
  operation: string;
  /** `users.getUser`, for messages. */
  label: string;
  descriptor: OperationInfo;
  /** GraphQL field name: `users_getUser`. */
  field: string;
  /** MCP tool name (`users_getUser`), absent when the operation is not a tool. */
  tool?: string;
  /** Absent when the operation has no REST route. */
  route?: CatalogRoute;
  graphql: 'query' | 'mutation' | false;
}

export interface Catalog {
  entries(): readonly CatalogEntry[];
  /** Bumped on every change. */
  readonly revision: number;
  onChange(listener: () => void): () => void;
  close(): void;
}

export interface CatalogOptions {
  /** Services to expose; undefined: every service heard (development). */
  services?: readonly string[];
  /** The gateway's own service name, never exposed. Default `gateway`. */
  self?: string;
  /** How often staleness is re-checked. Default 1000 ms. */
  refreshMs?: number;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** GraphQL and MCP names: letters, digits, underscores. */
export const safeName = (text: string) => text.replace(/[^A-Za-z0-9_]/g, '_');

function routeOf(service: string, http: string | undefined): CatalogRoute | undefined {
  if (!http) return undefined;
  const [method, path] = http.split(' ');
  if (!method || !path || !METHODS.has(method) || !path.startsWith('/')) return undefined;
  const full = `/api/${service}${path === '/' ? '' : path}`;
  const params: string[] = [];
  const source = full
    .split('/')
    .map((segment) => {
      const param = /^:([A-Za-z][A-Za-z0-9_]*)$/.exec(segment);
      if (param) {
        params.push(param[1]!);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    method: method as HttpMethod,
    path: full,
    openapiPath: full.replace(/:([A-Za-z][A-Za-z0-9_]*)/g, '{$1}'),
    params,
    pattern: new RegExp(`^${source}/?$`),
  };
}

function entryOf(service: string, descriptor: OperationInfo): CatalogEntry {
  const mcp = descriptor.mcp;
  const graphql =
    descriptor.graphql ?? (descriptor.http?.startsWith('GET ') ? ('query' as const) : ('mutation' as const));
  return {
    service,
    operation: descriptor.name,
    label: `${service}.${descriptor.name}`,
    descriptor,
    field: safeName(`${service}_${descriptor.name}`),
    tool: mcp === false ? undefined : safeName(`${service}_${mcp?.name ?? descriptor.name}`),
    route: routeOf(service, descriptor.http),
    graphql,
  };
}

/**
 * @example
 * const catalog = createCatalog(view, { services: ['users'] });
 * catalog.onChange(() => rebuildGraphqlSchema(catalog.entries()));
 */
export function createCatalog(view: RegistryView, options: CatalogOptions = {}): Catalog {
  const self = options.self ?? 'gateway';
  const allowed = options.services ? new Set(options.services) : undefined;
  const listeners = new Set<() => void>();
  let signature = '';
  let entries: CatalogEntry[] = [];
  let revision = 0;

  const rebuild = () => {
    const live = view
      .services()
      .filter((s) => s.live > 0 && s.name !== self && (!allowed || allowed.has(s.name)));
    const next = JSON.stringify(live.map((s) => [s.name, s.operations]));
    if (next === signature) return;
    signature = next;
    entries = live
      .flatMap((s) => s.operations.map((op) => entryOf(s.name, op)))
      .sort((a, b) => a.label.localeCompare(b.label));
    revision += 1;
    for (const listener of listeners) {
      try {
        listener();
      } catch {}
    }
  };

  let scheduled = false;
  const unsubscribe = view.onHeartbeat(() => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      rebuild();
    });
  });
  const timer = setInterval(rebuild, options.refreshMs ?? 1000);
  timer.unref();
  rebuild();

  return {
    entries: () => entries,
    get revision() {
      return revision;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}

/**
 * REST under `/api`: each catalog operation with an http route is served at
 * `/api/<service><path>` (`GET /users/:id` of users -> `GET /api/users/users/:id`), proxied
 * over the bus. One wildcard Fastify route matches against the live catalog, so routes
 * appear and disappear with their services without restarting the server.
 *
 * Invariants:
 * - SAME_INPUT_RULE: the request becomes the operation's input with @bosun/http's routeInput
 *   (query for GET/DELETE, JSON body otherwise, PATH_PARAMS_WIN), exactly as on the service.
 * - SAME_PROBLEMS: every error is problem+json through @bosun/http's sendProblem, carrying the
 *   callee's code; an unknown route is BOSUN_HTTP_ROUTE_NOT_FOUND.
 */
import type { HttpMethod } from '@bosun/core';
import { httpErrors, routeInput } from '@bosun/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from './access.js';
import type { Catalog, CatalogEntry } from './catalog.js';
import type { Forwarder } from './forwarder.js';

export interface RestRoutesOptions {
  catalog: Catalog;
  access: Access;
  forwarder: Forwarder;
}

/** The entry whose route matches, with its path parameters. */
export function matchRoute(
  entries: readonly CatalogEntry[],
  method: string,
  path: string,
): { entry: CatalogEntry; params: Record<string, string> } | undefined {
  for (const entry of entries) {
    const route = entry.route;
    if (!route || route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1]!);
    });
    return { entry, params };
  }
  return undefined;
}

/** The route template each matched /api request was served by, for bounded metric labels. */
const matched = new WeakMap<FastifyRequest, string>();
export const matchedRoute = (req: FastifyRequest): string | undefined => matched.get(req);

const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function registerRestRoutes(app: FastifyInstance, options: RestRoutesOptions): void {
  const { catalog, access, forwarder } = options;
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/*',
    handler: async (req, reply) => {
      const path = req.url.split('?')[0]!;
      let match: ReturnType<typeof matchRoute>;
      try {
        match = matchRoute(catalog.entries(), req.method, path);
      } catch {
        match = undefined; // a malformed %-escape in a parameter
      }
      if (!match) {
        throw httpErrors.create('BOSUN_HTTP_ROUTE_NOT_FOUND', `No route for ${req.method} ${path}.`);
      }
      const { entry, params } = match;
      matched.set(req, entry.route!.path);
      const onBehalfOf = await access.authorize(entry, header(req, 'authorization'), 'http');
      const input = routeInput({
        method: req.method as HttpMethod,
        params,
        query: req.query,
        body: req.body,
      });
      const output = await forwarder.forward(entry, input, {
        onBehalfOf,
        requestId: req.id,
        traceparent: header(req, 'traceparent'),
      });
      if (output === undefined) return reply.code(204).send();
      return reply
        .code(200)
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(output));
    },
  });
}

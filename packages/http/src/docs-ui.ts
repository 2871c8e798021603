/**
 * mountDocsUi(): Swagger UI at a route prefix for a document that may change while the
 * server runs (the gateway's merged document), from local files only (swagger-ui-dist as
 * @fastify/swagger-ui ships it; no CDN).
 *
 * Invariant DOCS_READ_THE_LIVE_DOCUMENT: every load of `<prefix>/json` calls `document()`,
 * so the UI shows what is served now, not what was there at registration.
 * Not here: serving `/openapi.json` (the caller owns that route).
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export interface DocsUiOptions {
  /** Default `/docs`. */
  routePrefix?: string;
  /** The current OpenAPI document. */
  document: () => Record<string, unknown>;
}

/** @example await mountDocsUi(app, { document: () => currentDocument }); */
export async function mountDocsUi(app: FastifyInstance, options: DocsUiOptions): Promise<void> {
  await app.register(fastifySwagger, {
    mode: 'static',
    specification: { document: options.document() as never },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: options.routePrefix ?? '/docs',
    transformSpecification: () => options.document(),
    transformSpecificationClone: false,
  });
}

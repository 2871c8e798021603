/**
 * @bosun/http — a service's operations as REST routes on Fastify, with an OpenAPI 3.1
 * document, problem+json errors, request ids, access logs, metrics and graceful drain.
 */
export type { HttpContextBase, HttpContextFactory } from './context-factory.js';
export type { HttpServer, HttpServerOptions } from './create-http-server.js';
export { createHttpServer, INFRA_ROUTES } from './create-http-server.js';
export type { DocsUiOptions } from './docs-ui.js';
export { mountDocsUi } from './docs-ui.js';
export type { HttpErrorCode } from './http.errors.js';
export { httpErrors } from './http.errors.js';
export type { HttpMetrics } from './http-metrics.js';
export { createHttpMetrics } from './http-metrics.js';
export type { OpenApiDocument, OpenApiOptions } from './openapi/build-openapi.js';
export { buildOpenApiDocument } from './openapi/build-openapi.js';
export { pascalCase } from './openapi/json-schema.js';
export { problemResponses, problemSchema } from './openapi/problem-schema.js';
export { httpError, sendProblem } from './problem-reply.js';
export { isSafeRequestId, resolveRequestId } from './request-id.js';
export type { RouteParts } from './route-input.js';
export { routeInput } from './route-input.js';

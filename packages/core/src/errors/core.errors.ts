/** @bosun/core's error codes. Documented in docs/errors.md (kept in sync by a test). */
import { defineErrors } from './error-registry.js';

export const coreErrors = defineErrors('@bosun/core', {
  BOSUN_INTERNAL: {
    status: 500,
    retryable: false,
    title: 'An unexpected error occurred; the request id identifies it in the service logs',
  },
  BOSUN_VALIDATION_FAILED: { status: 400, retryable: false, title: 'The input does not match the schema' },
  BOSUN_OUTPUT_INVALID: {
    status: 500,
    retryable: false,
    title: 'The handler returned a value that does not match its output schema',
  },
  BOSUN_OPERATION_NOT_FOUND: { status: 404, retryable: false, title: 'No such operation on this service' },
  BOSUN_DEFINITION_INVALID: { status: 500, retryable: false, title: 'The service definition is invalid' },
  BOSUN_CONFIG_INVALID: { status: 500, retryable: false, title: 'The environment configuration is invalid' },
  BOSUN_UNAVAILABLE: {
    status: 503,
    retryable: true,
    title: 'The service is not ready or is shutting down; retry against another instance',
  },
  BOSUN_TIMEOUT: { status: 504, retryable: true, title: 'The operation did not finish in time' },
  BOSUN_DATABASE_UNAVAILABLE: { status: 503, retryable: true, title: 'PostgreSQL cannot be reached' },
  BOSUN_EMBEDDED_POSTGRES_FAILED: {
    status: 500,
    retryable: false,
    title: 'The embedded PostgreSQL could not be started',
  },
  BOSUN_MIGRATION_FAILED: {
    status: 500,
    retryable: false,
    title: 'A database migration failed; the schema was left at the last migration that succeeded',
  },
  BOSUN_MIGRATION_DRIFT: {
    status: 500,
    retryable: false,
    title: 'The database has migrations this code does not know; deploy the newer code or restore the schema',
  },
  BOSUN_LIFECYCLE_FAILED: { status: 500, retryable: false, title: 'A component failed to start or stop' },
  BOSUN_NOT_FOUND: { status: 404, retryable: false, title: 'The requested resource does not exist' },
  BOSUN_BAD_REQUEST: { status: 400, retryable: false, title: 'The request is malformed' },
  BOSUN_PAYLOAD_TOO_LARGE: {
    status: 413,
    retryable: false,
    title: 'The request body is larger than allowed',
  },
  BOSUN_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    retryable: false,
    title: 'The request content type is not supported',
  },
  BOSUN_UNAUTHENTICATED: { status: 401, retryable: false, title: 'Authentication is required' },
  BOSUN_FORBIDDEN: { status: 403, retryable: false, title: 'The caller lacks the required scope' },
  BOSUN_RATE_LIMITED: { status: 429, retryable: true, title: 'Too many requests; slow down and retry later' },
});

export type CoreErrorCode = keyof typeof coreErrors.specs;

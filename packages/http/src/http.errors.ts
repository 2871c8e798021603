/**
 * @bosun/http's own error codes. Everything else the HTTP transport answers reuses
 * @bosun/core's codes (BOSUN_BAD_REQUEST, BOSUN_PAYLOAD_TOO_LARGE, BOSUN_UNSUPPORTED_MEDIA_TYPE,
 * BOSUN_VALIDATION_FAILED, BOSUN_UNAVAILABLE), so a code means the same on every transport.
 */
import { defineErrors } from '@bosun/core';

export const httpErrors = defineErrors('@bosun/http', {
  BOSUN_HTTP_ROUTE_NOT_FOUND: {
    status: 404,
    retryable: false,
    title: 'No route matches this method and path; see /openapi.json for the routes this service serves',
  },
});

export type HttpErrorCode = keyof typeof httpErrors.specs;

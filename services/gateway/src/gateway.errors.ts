/**
 * The gateway's own error registry: only the refusals of its event stream (`GET /stream`).
 * Everything else the gateway answers is a core/package code or the callee's own code
 * (SAME_PROBLEMS). Codes are stable and never reused (CODES_ARE_STABLE, CODES_ARE_NEVER_REUSED);
 * docs/services/gateway.md lists them and tests/errors-doc.test.ts fails when the table drifts.
 */
import { defineErrors } from '@bosun/core';

export const gatewayErrors = defineErrors('@bosun/service-gateway', {
  GATEWAY_STREAMS_FULL: {
    status: 503,
    retryable: true,
    title: 'This gateway holds as many event streams as it may; reconnect later or to another replica',
  },
  GATEWAY_STREAMS_PER_USER_EXCEEDED: {
    status: 429,
    retryable: true,
    title: 'This user already holds as many event streams as one user may; close one first',
  },
});

export type GatewayErrorCode = keyof typeof gatewayErrors.specs;

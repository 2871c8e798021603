/**
 * The registry service's error registry: every error it returns on purpose has one of
 * these codes, or a core/queue code (BOSUN_VALIDATION_FAILED, BOSUN_FORBIDDEN,
 * BOSUN_QUEUE_JOB_NOT_FOUND for an id that is not a job id). Codes are stable and never
 * reused (CODES_ARE_STABLE, CODES_ARE_NEVER_REUSED); docs/services/registry.md lists them
 * and tests/errors-doc.test.ts fails when the table drifts.
 *
 * Hazard: job data and error messages are untrusted; a `detail` never quotes them.
 */
import { defineErrors } from '@bosun/core';

export const registryErrors = defineErrors('@bosun/service-registry', {
  REGISTRY_NOT_READY: {
    status: 503,
    retryable: true,
    title: 'The registry is starting or stopping and has no view of the platform',
  },
  REGISTRY_SERVICE_NOT_FOUND: {
    status: 404,
    retryable: false,
    title: 'No live or recently seen instance of this service',
  },
  REGISTRY_JOB_NOT_FOUND: { status: 404, retryable: false, title: 'No such job' },
  REGISTRY_JOB_NOT_RETRYABLE: {
    status: 409,
    retryable: false,
    title: 'Only a failed or cancelled job can be retried',
  },
  REGISTRY_JOB_NOT_CANCELLABLE: {
    status: 409,
    retryable: false,
    title: 'Only a queued, retrying or active job can be cancelled',
  },
});

export type RegistryErrorCode = keyof typeof registryErrors.specs;

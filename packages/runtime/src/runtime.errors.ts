/** @bosun/runtime's error codes. Documented in docs/errors.md (kept in sync by a test). */
import { defineErrors } from '@bosun/core';

export const runtimeErrors = defineErrors('@bosun/runtime', {
  BOSUN_RUNTIME_NO_BUS: {
    status: 500,
    retryable: false,
    title: 'The process has no event bus for this publish',
  },
  BOSUN_RUNTIME_UNKNOWN_SERVICE: { status: 404, retryable: false, title: 'No such service in this process' },
});

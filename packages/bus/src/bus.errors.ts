/**
 * @bosun/bus error codes: one registry (CODES_ARE_STABLE, CODES_ARE_NEVER_REUSED).
 * Documented in docs/errors.md, generated from this file by `npm run docs:errors`.
 */
import { defineErrors } from '@bosun/core';

export const busErrors = defineErrors('@bosun/bus', {
  BOSUN_BUS_NO_RESPONDERS: {
    status: 503,
    retryable: true,
    title: 'No instance of the target service is serving this operation; start one or check the service name',
  },
  BOSUN_BUS_CIRCUIT_OPEN: {
    status: 503,
    retryable: true,
    title:
      'Calls to the target service fail fast because its circuit breaker is open; it probes again shortly',
  },
  BOSUN_BUS_OVERLOADED: {
    status: 503,
    retryable: true,
    title: 'Too many calls to the target service are in flight from this process (bulkhead full)',
  },
  BOSUN_BUS_DISCONNECTED: {
    status: 503,
    retryable: true,
    title: 'The bus connection is closed or reconnecting; retry, or check NATS_URL and the NATS server',
  },
  BOSUN_BUS_BAD_ENVELOPE: {
    status: 502,
    retryable: false,
    title: 'A bus message did not carry a valid bosun envelope (wrong version or not JSON)',
  },
  BOSUN_BUS_EVENT_UNKNOWN: {
    status: 500,
    retryable: false,
    title: 'The service publishes an event subject it does not declare in events.publishes',
  },
  BOSUN_BUS_OUTBOX_NOT_CONFIGURED: {
    status: 500,
    retryable: false,
    title:
      'publish() was given a database client but this event bus has no outbox; the runtime wires one when the process has a database (else pass createEventBus({ outbox }), or publish after commit)',
  },
  BOSUN_BUS_CLOSED: {
    status: 503,
    retryable: false,
    title: 'The transport was closed by this process; create a new one',
  },
});

export type BusErrorCode = keyof typeof busErrors.specs;

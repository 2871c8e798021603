/**
 * A context with no database, queue or event bus: what a transport uses when nobody
 * wired one in (a bare RPC server, a bare event consumer, a script). Reaching for a
 * port it lacks fails with BOSUN_UNAVAILABLE naming the fix, never with a TypeError.
 */
import type { Logger } from 'pino';
import { coreErrors } from '../errors/core.errors.js';
import type { Caller, OperationContext, Transport } from './context.js';

export interface MinimalContextInit {
  service: string;
  requestId: string;
  transport: Transport;
  log: Logger;
  signal: AbortSignal;
  caller?: Caller;
  traceparent?: string;
}

const notWired = (what: string, transport: Transport) => () => {
  throw coreErrors.create(
    'BOSUN_UNAVAILABLE',
    `${what} is not wired into this ${transport} context; pass createContext (the bosun runtime does).`,
  );
};

export function minimalContext(init: MinimalContextInit): OperationContext {
  return {
    service: init.service,
    requestId: init.requestId,
    transport: init.transport,
    log: init.log,
    signal: init.signal,
    config: {},
    db: undefined,
    jobs: { send: notWired('A job queue', init.transport) },
    events: { publish: notWired('An event bus', init.transport) },
    caller: init.caller ?? {},
    traceparent: init.traceparent,
    progress: async () => {},
  };
}

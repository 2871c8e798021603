/**
 * The logger: pino writing JSON lines, bound to the service, its version and the
 * instance id, with secret paths redacted.
 *
 * Invariants:
 * - SECRETS_NEVER_PRINTED: the default redact paths (passwords, tokens, authorization and
 *   cookie headers, `*.secret`) are always on; callers add paths, they cannot remove these.
 * - STDOUT_IS_FOR_THE_PROTOCOL in MCP stdio mode: pass `destination: 'stderr'` and nothing
 *   from here touches stdout.
 * Not here: transports. Child loggers (`log.child({ requestId })`) carry request/job/trace ids.
 */
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Redacted whatever the caller configures. */
export const defaultRedactPaths: readonly string[] = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'request.headers.cookie',
  'DATABASE_URL',
  '*.DATABASE_URL',
];

export interface LoggerOptions {
  service: string;
  version?: string;
  /** The replica's id, e.g. SERVICE_INSTANCE_ID or `${hostname}-${pid}`. */
  instance: string;
  /** Default 'info'. */
  level?: LogLevel;
  /** Extra paths to redact, in pino's path syntax (`user.ssn`, `*.card`). */
  redact?: readonly string[];
  /** 'stderr' when the process serves MCP over stdio. Default 'stdout'. */
  destination?: 'stdout' | 'stderr';
  /** A stream to write to instead (tests). Overrides `destination`. */
  stream?: NodeJS.WritableStream;
}

/**
 * Creates the service's root logger.
 * @example
 * const log = createLogger({ service: 'users', version: '1.2.0', instance: 'users-1', level: config.LOG_LEVEL });
 * log.child({ requestId }).info('handled');
 */
export function createLogger(options: LoggerOptions): Logger {
  const fd = options.destination === 'stderr' ? 2 : 1;
  // sync: a process that exits right after logging (config errors, forced exits) must
  // not lose the line; bosun's log volume does not need the async writer.
  const stream = options.stream ?? pino.destination({ fd, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, version: options.version ?? '0.0.0', instance: options.instance },
      redact: { paths: [...defaultRedactPaths, ...(options.redact ?? [])], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/** Resolves once everything logged so far has been written. Never rejects. */
export function flushLogger(log: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      log.flush(() => resolve());
    } catch {
      // Streams without flush support (a plain Writable in tests) have nothing buffered here.
      resolve();
    }
  });
}

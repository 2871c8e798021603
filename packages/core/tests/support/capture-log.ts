/** A logger that records its JSON lines, for asserting what was logged. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging/create-logger.js';

export function captureLog(): { log: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ service: 'test', instance: 'test-1', level: 'debug', stream });
  return {
    log,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

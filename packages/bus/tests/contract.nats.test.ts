import { describe } from 'vitest';
import { createNatsTransport } from '../src/nats.transport.js';
import { randomRoot } from './support/fixtures.js';
import { natsUrl, skipNats } from './support/nats.js';
import { transportContract } from './support/transport-contract.js';

describe.skipIf(skipNats)('NATS adapter', () => {
  const root = randomRoot();
  transportContract('nats', () => createNatsTransport({ servers: natsUrl ?? '', root }));
});

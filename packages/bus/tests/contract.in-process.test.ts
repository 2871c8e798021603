import { createInProcessBroker } from '../src/in-process.broker.js';
import { createInProcessTransport } from '../src/in-process.transport.js';
import { randomRoot } from './support/fixtures.js';
import { transportContract } from './support/transport-contract.js';

const broker = createInProcessBroker();
const root = randomRoot();
transportContract('in-process', async () => createInProcessTransport({ broker, root }));

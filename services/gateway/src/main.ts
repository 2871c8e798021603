/** The gateway's process: wiring only. */
import { env } from './config.js';
import { runGateway } from './gateway-process.js';

await runGateway({ env, process });

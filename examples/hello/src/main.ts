/** hello's process: wiring only. */
import { runService } from '@bosun/runtime';
import { env } from './config.js';
import { hello } from './service.js';

await runService({ services: [hello], env, process });

/** The users service's process: wiring only. */
import { runService } from '@bosun/runtime';
import { env } from './config.js';
import { users } from './service.js';

await runService({ services: [users], env, process });

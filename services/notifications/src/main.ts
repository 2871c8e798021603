/** The notifications service's process: wiring only. */
import { runService } from '@bosun/runtime';
import { env } from './config.js';
import { notifications } from './service.js';

await runService({ services: [notifications], env, process });

/** The registry service's process: wiring only. */
import { runService } from '@bosun/runtime';
import { env } from './config.js';
import { createRegistry } from './service.js';

const registry = createRegistry();
await runService({
  services: [registry.service],
  env,
  process,
  extensions: { registry: registry.extension },
});

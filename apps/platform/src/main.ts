/**
 * The one-process platform: every reference service in one process, one health server
 * for all, the in-process bus unless NATS_URL is set, an embedded PostgreSQL unless
 * DATABASE_URL is set. Wiring only; the URLs it prints come from platform-urls.ts.
 *
 * Ports: the gateway, the public edge, listens on PORT (3000 by default); service i listens
 * on PORT + 1 + i (portOffset), so the order of `services` is the rest of the port plan.
 */
import { runService } from '@bosun/runtime';
import { gatewayComponents } from '@bosun/service-gateway/component';
import { notifications } from '@bosun/service-notifications';
import { createRegistry } from '@bosun/service-registry';
import { users } from '@bosun/service-users';
import { env } from './config.js';
import { describePlatform } from './platform-urls.js';

const registry = createRegistry();
const services = [users, notifications, registry.service];

// Ready only once the edge can route to every service of this process.
const gateway = gatewayComponents({ awaitServices: services.map((s) => s.name) });
const app = await runService({
  services,
  env,
  process,
  extensions: { registry: registry.extension },
  portOffset: 1,
  components: gateway,
});
if (app?.lifecycle.state === 'ready') process.stderr.write(describePlatform(app, gateway.edge?.url));

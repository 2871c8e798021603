/**
 * The one-process platform: every reference service in one process, one health server
 * for all, the in-process bus unless NATS_URL is set, an embedded PostgreSQL unless
 * DATABASE_URL is set. Wiring only; the URLs it prints come from platform-urls.ts.
 *
 * Ports: service i listens on PORT + i (compose-app.ts), so the order is the port plan.
 * The gateway goes first when it lands (the public edge on PORT, 3000 by default).
 */
import { runService } from '@bosun/runtime';
import { notifications } from '@bosun/service-notifications';
import { users } from '@bosun/service-users';
import { env } from './config.js';
import { describePlatform } from './platform-urls.js';

const services = [users, notifications];

const app = await runService({ services, env, process });
if (app?.lifecycle.state === 'ready') process.stderr.write(describePlatform(app));

/**
 * End to end on the README path: the bundled platform (`tools/bundle.mjs apps/platform`,
 * then `node dist/main.js`) with DATABASE_URL and NATS_URL unset — every service in one
 * process over the in-process bus, on the embedded PostgreSQL it starts itself — driven
 * over real HTTP through the gateway only. The delivery log is read through the gateway
 * with an operator's token holding `notifications:read` (granted in users.users.scopes of
 * the embedded database, at the port its `embedded PostgreSQL started` log line names).
 *
 * Where the data goes: the embedded PostgreSQL keeps its data in `.bosun/postgres` under
 * the working directory (core's connectPostgres default). The test lays the bundle out in a
 * temporary directory of its own (`<tmp>/app/dist`, package.json beside it, node_modules
 * linked, as tools/tests/service-bundles.process.test.ts does) and runs it there, so the data
 * directory is `<tmp>/app/.bosun/postgres`, fresh for every run, and every postgres process
 * of this run names `<tmp>` on its command line (`pgrep -f <tmp>` finds exactly them).
 * The bundle goes to that directory too, so another test bundling apps/platform at the same
 * time cannot empty `apps/platform/dist` under this process.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServiceProcess, spawnService } from '@bosun/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleService } from '../../../tools/bundle.mjs';
import { codeOf, gatewayClient } from './gateway-client.js';
import {
  deliveryLog,
  expectSignedWelcome,
  grantScopes,
  logIn,
  type SignedUp,
  signUp,
  WEBHOOK_SECRET,
} from './platform-flow.js';
import { startWelcomeReceiver, type WelcomeReceiver } from './welcome-receiver.js';

const platformDir = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** Pids of processes whose command line names `text` (none: pgrep exits 1). */
function pidsNaming(text: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe('the one-process platform on its embedded PostgreSQL (the README path)', () => {
  // mkdtemp makes it 0700; run as root, core makes the data dir's parents traversable for `postgres` itself.
  const image = mkdtempSync(join(tmpdir(), 'bosun-e2e-platform-'));
  const app = join(image, 'app');
  const dataDir = join(app, '.bosun', 'postgres');
  let receiver: WelcomeReceiver;
  let proc: ServiceProcess;
  let client: ReturnType<typeof gatewayClient>;
  let ada: SignedUp;
  let token: string;
  let operatorToken: string;
  let log: ReturnType<typeof deliveryLog>;

  /** `node dist/main.js` in the temp app directory, as `npm start` runs it; resolves once the banner is out. */
  async function startPlatform() {
    const started = spawnService({
      entry: join(app, 'dist', 'main.js'),
      cwd: app,
      // No DATABASE_URL, no NATS_URL: what a fresh machine has.
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HEALTH_PORT: '0',
        HOST: '127.0.0.1',
        USERS_SCRYPT_LOG_N: '15',
        NOTIFICATIONS_WEBHOOK_URL: receiver.url,
        NOTIFICATIONS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        NOTIFICATIONS_RETRY_DELAY_SECONDS: '1',
      },
    });
    await started.waitForLine(/bosun platform is serving/, 90_000);
    await started.waitForLine(/^ {2}bus {8}/);
    const gateway = /REST {7}(http:\/\/\S+)\/api$/m.exec(started.stderr)?.[1];
    if (!gateway) throw new Error(`the banner names no gateway:\n${started.stderr}`);
    return { proc: started, client: gatewayClient(gateway) };
  }

  beforeAll(async () => {
    receiver = await startWelcomeReceiver();
    mkdirSync(app, { recursive: true });
    await bundleService(platformDir, { quiet: true, outdir: join(app, 'dist') });
    cpSync(join(platformDir, 'package.json'), join(app, 'package.json'));
    symlinkSync(join(repo, 'node_modules'), join(image, 'node_modules'));
    ({ proc, client } = await startPlatform());
    log = deliveryLog(client, () => operatorToken);
  }, 120_000);

  afterAll(async () => {
    // After a failure, still stop the platform gracefully, so its postgres stops with it.
    proc?.kill('SIGTERM');
    await Promise.race([proc?.exited, new Promise((r) => setTimeout(r, 15_000))]);
    // Whatever a failed test left (a SIGKILLed platform's postgres): only processes naming this run's directory.
    for (const pid of pidsNaming(image)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone between pgrep and kill.
      }
    }
    await receiver?.close();
    rmSync(image, { recursive: true, force: true });
  }, 30_000);

  test('with DATABASE_URL and NATS_URL unset it runs its own PostgreSQL in <cwd>/.bosun/postgres and the in-process bus', async () => {
    expect(proc.stderr).toMatch(/^ {2}database {3}embedded PostgreSQL/m);
    expect(proc.stderr).toMatch(/^ {2}bus {8}in-process$/m);
    const started = proc.logs().find((l) => l.msg === 'embedded PostgreSQL started');
    expect(started).toMatchObject({ dataDir });
    expect(pidsNaming(dataDir)).toContain(started?.pid);
    const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/)) as { health: string };
    expect((await fetch(`${serving.health}/readyz`)).status).toBe(200);
    // Ready means routable: the edge knows every service of the process as soon as the banner is out (NEIGHBOURS_ROUTABLE_WHEN_READY).
    const paths = Object.keys((await client.rest('GET', '/openapi.json')).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/users/users',
        '/api/notifications/notifications/{id}',
        '/api/registry/jobs',
      ]),
    );
  });

  test('a sign-up through the gateway becomes a welcome webhook with a valid signature', async () => {
    ada = await signUp(client, 'ada@example.com', 'Ada');
    await expect.poll(() => receiver.requestsFor(ada.email).length, { timeout: 20_000 }).toBe(1);
    expectSignedWelcome(receiver.requestsFor(ada.email)[0]!, ada);
    token = await logIn(client, ada);
  });

  test('through the same gateway, an operator reads the delivery log: a receiver failing twice gets the welcome on the third attempt', async () => {
    // The operator's scope is granted in the embedded database the platform started.
    const { port } = proc.logs().find((l) => l.msg === 'embedded PostgreSQL started') as { port: number };
    const operator = await signUp(client, 'operator@example.com', 'Operator');
    await grantScopes(`postgres://postgres@127.0.0.1:${port}/postgres`, operator.email, [
      'notifications:read',
    ]);
    operatorToken = await logIn(client, operator);

    receiver.plan('flaky@example.com', [500, 500, 200]);
    const bob = await signUp(client, 'flaky@example.com', 'Bob');
    await expect.poll(() => receiver.requestsFor(bob.email).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const id = expectSignedWelcome(receiver.requestsFor(bob.email)[0]!, bob);
    await expect.poll(() => log.statusOf(id), { timeout: 30_000, interval: 250 }).toBe('delivered');
    expect(await log.attemptsOf(id)).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'delivered', 200],
    ]);
    expect(receiver.requestsFor(bob.email)).toHaveLength(3);
  });

  test('a receiver always failing: the welcome is dead after three logged attempts', async () => {
    receiver.plan('gone@example.com', [500]);
    const cy = await signUp(client, 'gone@example.com', 'Cy');
    await expect.poll(() => receiver.requestsFor(cy.email).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const id = expectSignedWelcome(receiver.requestsFor(cy.email)[0]!, cy);
    await expect.poll(() => log.statusOf(id), { timeout: 30_000, interval: 250 }).toBe('dead');
    expect(await log.attemptsOf(id)).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'failed', 500],
    ]);
    expect(receiver.requestsFor(cy.email)).toHaveLength(3);
  });

  test('REST, GraphQL and an MCP tool call reach the same operation, with the same result and the same errors', async () => {
    const rest = await client.restOutcome('GET', `/api/users/users/${ada.id}`, undefined, token);
    const graphql = await client.graphqlOutcome(
      `{ users_getUser(id: "${ada.id}") { id email name scopes createdAt updatedAt } }`,
      'users_getUser',
      token,
    );
    const mcp = await client.mcp(token);
    try {
      const tool = await client.toolOutcome(mcp, 'users_getUser', { id: ada.id });
      expect(rest).toMatchObject({ ok: true, data: { id: ada.id, email: ada.email, name: 'Ada' } });
      expect(graphql).toEqual(rest);
      expect(tool).toEqual(rest);

      const bad = [
        await client.restOutcome('GET', '/api/users/users/nope', undefined, token),
        await client.graphqlOutcome('{ users_getUser(id: "nope") { id } }', 'users_getUser', token),
        await client.toolOutcome(mcp, 'users_getUser', { id: 'nope' }),
      ];
      expect(bad.map(codeOf)).toEqual(Array(3).fill('BOSUN_VALIDATION_FAILED 400'));

      // A valid token without the operation's scope (listUsers needs users:admin): 403 everywhere.
      const forbidden = [
        await client.restOutcome('GET', '/api/users/users', undefined, token),
        await client.graphqlOutcome('{ users_listUsers { nextCursor } }', 'users_listUsers', token),
        await client.toolOutcome(mcp, 'users_listUsers', {}),
      ];
      expect(forbidden.map(codeOf)).toEqual(Array(3).fill('BOSUN_FORBIDDEN 403'));
    } finally {
      await mcp.close();
    }
  });

  test('a call without a JWT, or with a forged one, is refused with a coded 401 on REST, GraphQL and MCP', async () => {
    const anonymous = await client.mcp();
    try {
      const refused = [
        await client.restOutcome('GET', `/api/users/users/${ada.id}`),
        await client.graphqlOutcome(`{ users_getUser(id: "${ada.id}") { id } }`, 'users_getUser'),
        await client.toolOutcome(anonymous, 'users_getUser', { id: ada.id }),
      ];
      expect(refused.map(codeOf)).toEqual(Array(3).fill('BOSUN_UNAUTHENTICATED 401'));
    } finally {
      await anonymous.close();
    }
    // A token whose signature does not verify: the same coded 401 on every surface.
    const forged = `${token.slice(0, -4)}AAAA`;
    const withForged = await client.mcp(forged);
    try {
      const refused = [
        await client.restOutcome('GET', `/api/users/users/${ada.id}`, undefined, forged),
        await client.graphqlOutcome(`{ users_getUser(id: "${ada.id}") { id } }`, 'users_getUser', forged),
        await client.toolOutcome(withForged, 'users_getUser', { id: ada.id }),
      ];
      expect(refused.map(codeOf)).toEqual(Array(3).fill('BOSUN_AUTH_TOKEN_INVALID 401'));
    } finally {
      await withForged.close();
    }
  });

  test('SIGTERM: the process exits 0 and its embedded PostgreSQL is stopped with it', async () => {
    expect(pidsNaming(dataDir).length).toBeGreaterThan(0);
    proc.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(pidsNaming(image)).toEqual([]);
  });

  test('started again in the same directory it keeps its data; after a SIGKILL, the next start stops the postgres left behind and serves', async () => {
    const again = await startPlatform();
    expect(again.proc.logs().find((l) => l.msg === 'embedded PostgreSQL started')).toMatchObject({ dataDir });
    await logIn(again.client, ada);

    // A SIGKILLed Node cannot stop its postgres: it keeps running on the data directory.
    again.proc.kill('SIGKILL');
    expect((await again.proc.exited).signal).toBe('SIGKILL');
    const orphans = pidsNaming(dataDir);
    expect(orphans.length).toBeGreaterThan(0);

    const recovered = await startPlatform();
    expect(
      recovered.proc
        .logs()
        .some((l) => l.msg === 'stopping an embedded PostgreSQL left running by a killed process'),
    ).toBe(true);
    await logIn(recovered.client, ada);
    for (const pid of orphans) expect(pidsNaming(dataDir)).not.toContain(pid);
    recovered.proc.kill('SIGTERM');
    expect(await recovered.proc.exited).toEqual({ code: 0, signal: null });
    expect(pidsNaming(image)).toEqual([]);
  }, 120_000);
});

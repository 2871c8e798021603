/**
 * `bosun doctor`: is this machine ready to run bosun services? Checks the Node version,
 * PostgreSQL (DATABASE_URL, or the embedded fallback) and NATS (NATS_URL, or the
 * in-process bus). Exit 1 when something configured cannot be reached.
 */
import { Socket } from 'node:net';
import pg from 'pg';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

function reachable(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

async function checkPostgres(url: string | undefined): Promise<Check> {
  if (!url)
    return {
      name: 'PostgreSQL',
      ok: true,
      detail: 'DATABASE_URL unset: an embedded PostgreSQL starts under .bosun/',
    };
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return { name: 'PostgreSQL', ok: true, detail: `reachable, version ${rows[0]?.v}` };
  } catch (error) {
    return {
      name: 'PostgreSQL',
      ok: false,
      detail: `DATABASE_URL does not answer: ${(error as Error).message}`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkNats(url: string | undefined): Promise<Check> {
  if (!url)
    return {
      name: 'NATS',
      ok: true,
      detail: 'NATS_URL unset: services in one process use the in-process bus',
    };
  const first = url.split(',')[0]!.trim();
  const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
  const ok = await reachable(parsed.hostname, Number(parsed.port || 4222));
  return {
    name: 'NATS',
    ok,
    detail: ok
      ? `reachable at ${parsed.host}`
      : `nothing answers at ${parsed.host}; start nats-server -js or unset NATS_URL`,
  };
}

export async function doctor(env: Record<string, string | undefined>): Promise<number> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const checks: Check[] = [
    {
      name: 'Node.js',
      ok: major > 20 || (major === 20 && minor >= 19),
      detail: `${process.versions.node} (needs 20.19 or newer)`,
    },
    await checkPostgres(env.DATABASE_URL),
    await checkNats(env.NATS_URL),
  ];
  for (const c of checks)
    process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(11)} ${c.detail}\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

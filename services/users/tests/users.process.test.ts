/**
 * The users service as a process: src/main.ts on a real PostgreSQL, driven over HTTP.
 * One process serves the whole file; each test uses its own emails.
 */

import { useTestDatabase } from '@bosun/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claimsOf, httpClient, type Started, startUsers } from './users-process.js';

interface User {
  id: string;
  email: string;
  name: string;
  scopes: string[];
  createdAt: string;
}
interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

// Every password any test sends; none may appear in a response or a log line.
const passwords: string[] = [];
const password = (label: string) => {
  const value = `pw-${label}-${Math.random().toString(36).slice(2)}-secret`;
  passwords.push(value);
  return value;
};

describe('the users service over HTTP', () => {
  const db = useTestDatabase({ label: 'users' });
  let svc: Started;
  let http: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    svc = await startUsers(db.url);
    http = httpClient(svc.api);
  });

  afterAll(async () => {
    svc.proc.kill('SIGTERM');
    expect((await svc.proc.exited).code).toBe(0);
  });

  async function signUp(email: string, pw = password('signup'), name = 'Test User') {
    const res = await http.call<User>('POST', '/users', { email, password: pw, name });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { user: res.body, password: pw };
  }

  test('sign up, log in, and get the user named by the access token’s sub, verified with the JWKS', async () => {
    const { user, password: pw } = await signUp('ada@example.com', undefined, 'Ada Lovelace');
    expect(user).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      scopes: ['users:read', 'users:write'],
    });
    expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'scopes', 'updatedAt']);

    const login = await http.call<Tokens>('POST', '/sessions', { email: 'ADA@example.com', password: pw });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(login.body.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);

    const jwks = createRemoteJWKSet(new URL(`${svc.api}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(login.body.accessToken, jwks, {
      algorithms: ['EdDSA'],
      issuer: 'bosun-users',
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: user.id, scope: 'users:read users:write' });
    expect(payload.exp! - payload.iat!).toBe(15 * 60);

    const got = await http.call<User>('GET', `/users/${payload.sub}`, undefined, login.body.accessToken);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(user);
  });

  test('the JWKS holds only public key material', async () => {
    const res = await http.call<{ keys: Array<Record<string, unknown>> }>('GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    expect(Object.keys(res.body.keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
  });

  test('a second sign-up with the same email, in any case, is 409 USERS_EMAIL_TAKEN', async () => {
    await signUp('grace@example.com');
    const again = await http.call('POST', '/users', {
      email: 'Grace@Example.com',
      password: password('second'),
      name: 'Grace',
    });
    expect(again.status).toBe(409);
    expect(again.contentType).toMatch(/application\/problem\+json/);
    expect(again.body).toMatchObject({ code: 'USERS_EMAIL_TAKEN', status: 409 });
  });

  test('a wrong password and an unknown email get the same 401 USERS_INVALID_CREDENTIALS answer', async () => {
    await signUp('alan@example.com');
    const wrong = await http.call('POST', '/sessions', {
      email: 'alan@example.com',
      password: password('wrong'),
    });
    const unknown = await http.call('POST', '/sessions', {
      email: 'nobody@example.com',
      password: password('unknown'),
    });
    const malformed = await http.call('POST', '/sessions', {
      email: 'not-an-email',
      password: password('x'),
    });
    for (const res of [wrong, unknown, malformed]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'USERS_INVALID_CREDENTIALS' });
    }
    const shape = (body: Record<string, unknown>) => {
      const { requestId: _, ...rest } = body;
      return rest;
    };
    expect(shape(unknown.body)).toEqual(shape(wrong.body));
    expect(shape(malformed.body)).toEqual(shape(wrong.body));
  });

  test('a refresh rotates the tokens: the old refresh token is refused, and its reuse ends the session', async () => {
    const { password: pw } = await signUp('barbara@example.com');
    const first = (
      await http.call<Tokens>('POST', '/sessions', { email: 'barbara@example.com', password: pw })
    ).body;

    const second = await http.call<Tokens>('POST', '/sessions/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(claimsOf(second.body.accessToken).sub).toBe(claimsOf(first.accessToken).sub);

    const replay = await http.call('POST', '/sessions/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'USERS_REFRESH_TOKEN_INVALID' });

    // REFRESH_REUSE_REVOKES_FAMILY: the replay revoked the newer token of the same session too.
    const afterReplay = await http.call('POST', '/sessions/refresh', {
      refreshToken: second.body.refreshToken,
    });
    expect(afterReplay.status).toBe(401);
    expect(afterReplay.body).toMatchObject({ code: 'USERS_REFRESH_TOKEN_INVALID' });

    const bogus = await http.call('POST', '/sessions/refresh', { refreshToken: 'rt_not-a-token' });
    expect(bogus.status).toBe(401);
    expect(bogus.body).toMatchObject({ code: 'USERS_REFRESH_TOKEN_INVALID' });
  });

  test('changing the password needs the current one, invalidates the old password and ends every session', async () => {
    const { user, password: oldPw } = await signUp('edsger@example.com');
    const session = (
      await http.call<Tokens>('POST', '/sessions', { email: 'edsger@example.com', password: oldPw })
    ).body;
    const newPw = password('next');

    const wrongCurrent = await http.call('POST', `/users/${user.id}/password`, {
      currentPassword: password('not-it'),
      newPassword: newPw,
    });
    expect(wrongCurrent.status).toBe(401);
    expect(wrongCurrent.body).toMatchObject({ code: 'USERS_INVALID_CREDENTIALS' });

    const weak = await http.call('POST', `/users/${user.id}/password`, {
      currentPassword: oldPw,
      newPassword: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ code: 'USERS_WEAK_PASSWORD' });

    const changed = await http.call('POST', `/users/${user.id}/password`, {
      currentPassword: oldPw,
      newPassword: newPw,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ id: user.id, sessionsRevoked: 1 });

    const withOld = await http.call('POST', '/sessions', { email: 'edsger@example.com', password: oldPw });
    expect(withOld.status).toBe(401);
    expect(withOld.body).toMatchObject({ code: 'USERS_INVALID_CREDENTIALS' });
    const withNew = await http.call('POST', '/sessions', { email: 'edsger@example.com', password: newPw });
    expect(withNew.status).toBe(200);
    const oldSession = await http.call('POST', '/sessions/refresh', { refreshToken: session.refreshToken });
    expect(oldSession.status).toBe(401);
  });

  test('keyset paging returns every user exactly once, in sign-up order', async () => {
    for (let i = 0; i < 7; i++) await signUp(`pager${i}@example.com`);
    const all = await http.call<{ items: User[]; nextCursor: string | null }>('GET', '/users?limit=100');
    expect(all.body.nextCursor).toBeNull();
    const expected = all.body.items.map((u) => u.id);
    expect(expected.length).toBeGreaterThanOrEqual(7);

    const walked: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const query: string = after ? `?limit=3&after=${after}` : '?limit=3';
      const page = await http.call<{ items: User[]; nextCursor: string | null }>('GET', `/users${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      walked.push(...page.body.items.map((u) => u.id));
      after = page.body.nextCursor;
      pages++;
    } while (after && pages < 100);
    expect(walked).toEqual(expected);
    expect(new Set(walked).size).toBe(walked.length);
    expect([...walked].sort()).toEqual(walked);
  });

  test('updateUser changes the name, refuses a taken email, and unknown ids are 404 USERS_NOT_FOUND', async () => {
    const { user } = await signUp('katherine@example.com');
    const renamed = await http.call<User>('PATCH', `/users/${user.id}`, { name: 'Katherine Johnson' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      id: user.id,
      name: 'Katherine Johnson',
      email: 'katherine@example.com',
    });

    await signUp('dorothy@example.com');
    const taken = await http.call('PATCH', `/users/${user.id}`, { email: 'DOROTHY@example.com' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'USERS_EMAIL_TAKEN' });

    const missing = await http.call('GET', '/users/01890000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'USERS_NOT_FOUND' });
  });

  test('bad input is 400 with a code and the offending field, never the value', async () => {
    const secret = password('bad-input');
    const cases: Array<[string, string, unknown, string, string]> = [
      [
        'POST',
        '/users',
        { email: 'not-an-email', password: secret, name: 'X' },
        'BOSUN_VALIDATION_FAILED',
        'email',
      ],
      ['POST', '/users', { email: 'x@example.com', password: secret }, 'BOSUN_VALIDATION_FAILED', 'name'],
      ['POST', '/users', { email: 'x@example.com', password: 'short', name: 'X' }, 'USERS_WEAK_PASSWORD', ''],
      ['GET', '/users?limit=0', undefined, 'BOSUN_VALIDATION_FAILED', 'limit'],
      ['GET', '/users?limit=many', undefined, 'BOSUN_VALIDATION_FAILED', 'limit'],
      ['GET', '/users?after=42', undefined, 'BOSUN_VALIDATION_FAILED', 'after'],
      ['GET', '/users/42', undefined, 'BOSUN_VALIDATION_FAILED', 'id'],
      ['PATCH', '/users/01890000-0000-7000-8000-000000000000', {}, 'BOSUN_VALIDATION_FAILED', ''],
      ['POST', '/sessions', `{"email":"x@example.com","password": ${secret}}`, 'BOSUN_BAD_REQUEST', ''],
    ];
    for (const [method, path, body, code, field] of cases) {
      const res = await http.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.code, `${method} ${path}`).toBe(code);
      if (field) expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
  });

  test('each sign-up commits exactly one user.created to the outbox, which the relay publishes; a refused sign-up writes none', async () => {
    const { user } = await signUp('outbox@example.com');
    const again = await http.call('POST', '/users', {
      email: 'OUTBOX@example.com',
      password: password('again'),
      name: 'Twice',
    });
    expect(again.status).toBe(409);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const events = () =>
        client.query<{
          payload: { source: string; subject: string; data: Record<string, unknown> };
          sent: boolean;
        }>(
          `SELECT payload, sent_at IS NOT NULL AS sent FROM bosun_bus.outbox WHERE payload->'data'->>'email' ILIKE $1`,
          ['outbox@example.com'],
        );
      await expect.poll(async () => (await events()).rows.map((r) => r.sent)).toEqual([true]);
      const { payload } = (await events()).rows[0]!;
      expect(payload).toMatchObject({ source: 'users', subject: 'user.created' });
      expect(payload.data).toEqual({
        id: user.id,
        email: user.email,
        name: user.name,
        createdAt: user.createdAt,
      });
      const counts = await client.query<{ users: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM users.users) AS users,
           (SELECT count(*)::int FROM bosun_bus.outbox WHERE source = 'users') AS events`,
      );
      expect(counts.rows[0]!.events).toBe(counts.rows[0]!.users);
    } finally {
      await client.end();
    }
  });

  test('passwords and password hashes never appear in a response or a log line; refresh tokens are stored hashed', async () => {
    expect(passwords.length).toBeGreaterThan(10);
    const replies = http.seen.join('\n');
    const output = `${svc.proc.stdout}\n${svc.proc.stderr}`;
    for (const pw of passwords) {
      expect(replies).not.toContain(pw);
      expect(output).not.toContain(pw);
    }
    expect(replies).not.toMatch(/scrypt\$/);
    expect(output).not.toMatch(/scrypt\$/);
    // Debug logging was on, so rejected requests were logged too.
    expect(svc.proc.logs().some((l) => l.msg === 'request rejected')).toBe(true);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const hashes = await client.query<{ password_hash: string }>('SELECT password_hash FROM users.users');
      for (const { password_hash } of hashes.rows) expect(password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      const tokens = await client.query<{ token_hash: Buffer }>(
        'SELECT token_hash FROM users.refresh_tokens',
      );
      expect(tokens.rows.length).toBeGreaterThan(0);
      for (const { token_hash } of tokens.rows) expect(token_hash).toHaveLength(32);
      const stored = tokens.rows.map((r) => r.token_hash.toString('base64url'));
      for (const reply of http.seen) for (const hash of stored) expect(reply).not.toContain(hash);
    } finally {
      await client.end();
    }
  });
});

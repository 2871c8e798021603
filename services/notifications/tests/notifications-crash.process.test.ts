/**
 * Killing the notifications process mid-delivery loses nothing: the delivery job is
 * durable (the queue's EXPIRED_IS_RETRIED), the attempt cut short stays in the log as
 * `interrupted` (ATTEMPT_IS_LOGGED_BEFORE_IT_IS_MADE), and the restarted process delivers —
 * or, when the cut attempt was the last one, records the notification as dead
 * (DEAD_IS_RECORDED) so it can be retried.
 */
import { useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, type Started, startNotifications } from './notifications-process.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

interface Attempt {
  attempt: number;
  outcome: string;
}

describe('a notifications process killed with a delivery in flight', () => {
  const db = useTestDatabase({ label: 'notifications_crash' });
  let sql: pg.Pool;
  const receivers: Receiver[] = [];

  beforeAll(() => {
    sql = new pg.Pool({ connectionString: db.url, max: 1 });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await sql.end();
  });

  /** A receiver that holds its first request open (a slow receiver) and answers 200 to the rest. */
  async function slowFirstReceiver(): Promise<Receiver> {
    const r = await startReceiver((n) => (n === 1 ? 'hold' : 200));
    receivers.push(r);
    return r;
  }

  /** Sends a notification to `receiver`, waits until the POST is in flight, SIGKILLs the process. */
  async function killMidPost(env: Record<string, string>, receiver: Receiver): Promise<string> {
    const first = await startNotifications(db.url, env);
    const sent = await call(first.api, 'POST', '/notifications', {
      channel: 'webhook',
      to: receiver.url,
      message: 'survive a crash',
    });
    expect(sent.status).toBe(200);
    await expect.poll(() => receiver.held.length).toBe(1);
    first.proc.kill('SIGKILL');
    expect((await first.proc.exited).signal).toBe('SIGKILL');
    for (const res of receiver.held) res.destroy();
    const cut = await sql.query(
      `SELECT n.status, a.outcome FROM notifications.notifications n
         JOIN notifications.delivery_attempts a ON a.notification_id = n.id WHERE n.id = $1`,
      [sent.body.id],
    );
    expect(cut.rows).toEqual([{ status: 'queued', outcome: 'started' }]);
    return sent.body.id as string;
  }

  const statusOf = async (svc: Started, id: string) =>
    (await call(svc.api, 'GET', `/notifications/${id}`)).body.status;
  const attemptsOf = async (svc: Started, id: string) =>
    ((await call(svc.api, 'GET', `/notifications/${id}`)).body.deliveries as Attempt[]).map((d) => [
      d.attempt,
      d.outcome,
    ]);
  const stop = async (svc: Started) => {
    svc.proc.kill('SIGTERM');
    expect((await svc.proc.exited).code).toBe(0);
  };

  test('SIGKILL during the POST, restart: the new process delivers it, the cut attempt logged as interrupted', async () => {
    // Expiry follows the delivery timeout (4 s + 5 s), so the killed attempt is retried within ~9 s.
    const env = { NOTIFICATIONS_DELIVERY_TIMEOUT_MS: '4000' };
    const receiver = await slowFirstReceiver();
    const id = await killMidPost(env, receiver);

    const second = await startNotifications(db.url, env);
    try {
      await expect.poll(() => statusOf(second, id), { timeout: 40_000, interval: 250 }).toBe('delivered');
      expect(await attemptsOf(second, id)).toEqual([
        [1, 'interrupted'],
        [2, 'delivered'],
      ]);
      // At-least-once: the receiver saw the notification twice, with the same id to drop the duplicate.
      expect(receiver.requests.map((r) => r.headers['bosun-notification-id'])).toEqual([id, id]);
    } finally {
      await stop(second);
    }
  }, 90_000);

  test('when the killed attempt was the last one, the restarted process records the notification dead, and a retry delivers it', async () => {
    const env = { NOTIFICATIONS_DELIVERY_TIMEOUT_MS: '4000', NOTIFICATIONS_RETRY_LIMIT: '0' };
    const receiver = await slowFirstReceiver();
    const id = await killMidPost(env, receiver);

    const second = await startNotifications(db.url, env);
    try {
      await expect.poll(() => statusOf(second, id), { timeout: 40_000, interval: 250 }).toBe('dead');
      expect(await attemptsOf(second, id)).toEqual([[1, 'interrupted']]);

      const retried = await call(second.api, 'POST', `/notifications/${id}/retry`, {});
      expect(retried.status).toBe(200);
      await expect.poll(() => statusOf(second, id)).toBe('delivered');
      expect(await attemptsOf(second, id)).toEqual([
        [1, 'interrupted'],
        [2, 'delivered'],
      ]);
    } finally {
      await stop(second);
    }
  }, 90_000);
});

/**
 * Killing the notifications process mid-delivery loses nothing: the delivery job is
 * durable (the queue's EXPIRED_IS_RETRIED), the attempt cut short stays in the log as
 * `interrupted` (ATTEMPT_IS_LOGGED_BEFORE_IT_IS_MADE), and the restarted process delivers.
 */
import { useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, startNotifications } from './notifications-process.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

describe('a notifications process killed with a delivery in flight', () => {
  const db = useTestDatabase({ label: 'notifications_crash' });
  let receiver: Receiver;
  let sql: pg.Pool;

  beforeAll(async () => {
    // The first request is held open (the receiver is slow); every later one is answered.
    receiver = await startReceiver((n) => (n === 1 ? 'hold' : 200));
    sql = new pg.Pool({ connectionString: db.url, max: 1 });
  });
  afterAll(async () => {
    await receiver.close();
    await sql.end();
  });

  test('SIGKILL during the POST, restart: the notification is delivered by the new process, the cut attempt logged as interrupted', async () => {
    // Expiry follows the delivery timeout (4 s + 5 s), so the killed attempt is retried within ~9 s.
    const env = { NOTIFICATIONS_DELIVERY_TIMEOUT_MS: '4000' };
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
      'SELECT n.status, a.outcome FROM notifications.notifications n JOIN notifications.delivery_attempts a ON a.notification_id = n.id WHERE n.id = $1',
      [sent.body.id],
    );
    expect(cut.rows).toEqual([{ status: 'queued', outcome: 'started' }]);

    const second = await startNotifications(db.url, env);
    try {
      await expect
        .poll(async () => (await call(second.api, 'GET', `/notifications/${sent.body.id}`)).body.status, {
          timeout: 40_000,
          interval: 250,
        })
        .toBe('delivered');
      const done = await call(second.api, 'GET', `/notifications/${sent.body.id}`);
      expect(
        done.body.deliveries.map((d: { attempt: number; outcome: string }) => [d.attempt, d.outcome]),
      ).toEqual([
        [1, 'interrupted'],
        [2, 'delivered'],
      ]);
      // At-least-once: the receiver saw the notification twice, with the same id to drop the duplicate.
      expect(receiver.requests.map((r) => r.headers['bosun-notification-id'])).toEqual([
        sent.body.id,
        sent.body.id,
      ]);
    } finally {
      second.proc.kill('SIGTERM');
      expect((await second.proc.exited).code).toBe(0);
    }
  }, 90_000);
});

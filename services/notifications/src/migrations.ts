/**
 * The notifications service's schema, as numbered forward-only migrations (applied by the
 * runtime in the schema named `notifications`, serialised across replicas; SCHEMA_PER_SERVICE).
 *
 * Invariants:
 * - ONE_NOTIFICATION_PER_KEY: `idempotency_key` is unique, so a redelivered `user.created`
 *   (welcome:<user>:<channel>), a re-run digest (digest:<day>:<channel>) or a caller's retried
 *   sendNotification creates one notification, not two.
 * - ATTEMPT_IS_LOGGED_BEFORE_IT_IS_MADE: a `delivery_attempts` row (outcome `started`) is
 *   written before the outbound call, so an attempt cut short by a crash still shows
 *   (later marked `interrupted`).
 * Never edit an applied migration; add the next number.
 */
export const migrations = [
  {
    name: '001-notifications',
    sql: `CREATE TABLE notifications (
            id uuid PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('message', 'welcome', 'digest')),
            channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
            target text NOT NULL,
            subject text NOT NULL,
            message text NOT NULL,
            data jsonb NOT NULL DEFAULT '{}'::jsonb,
            idempotency_key text UNIQUE,
            status text NOT NULL DEFAULT 'queued'
              CHECK (status IN ('queued', 'retrying', 'delivered', 'dead')),
            attempts integer NOT NULL DEFAULT 0,
            last_error text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            delivered_at timestamptz);
          CREATE INDEX notifications_created_at_idx ON notifications (created_at DESC, id DESC);
          CREATE TABLE delivery_attempts (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
            attempt integer NOT NULL,
            outcome text NOT NULL DEFAULT 'started'
              CHECK (outcome IN ('started', 'delivered', 'failed', 'interrupted')),
            status_code integer,
            error text,
            duration_ms integer,
            started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz);
          CREATE INDEX delivery_attempts_notification_idx ON delivery_attempts (notification_id, id);
          CREATE INDEX delivery_attempts_started_at_idx ON delivery_attempts (started_at);`,
  },
] as const;

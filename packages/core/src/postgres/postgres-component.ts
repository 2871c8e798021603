/**
 * PostgreSQL as a lifecycle component named `database`: connects (or starts the embedded
 * server) on start, reports `check()` to /readyz, closes on stop.
 *
 * Invariants: `pool` is usable only between start and stop (reading it earlier throws,
 * naming the fix); the /readyz check is `database`, failing until start has connected.
 */
import type { Component } from '../lifecycle/create-lifecycle.js';
import { type ConnectPostgresOptions, connectPostgres, type PostgresConnection } from './connect-postgres.js';

export interface PostgresComponent extends Component {
  /** The connection; throws before start(). */
  readonly connection: PostgresConnection;
}

/**
 * @example
 * const database = postgresComponent({ url: config.DATABASE_URL, log });
 * lifecycle.register(database);
 * // after start: database.connection.pool
 */
export function postgresComponent(options: ConnectPostgresOptions & { name?: string }): PostgresComponent {
  let connection: PostgresConnection | undefined;
  return {
    name: options.name ?? 'database',
    get connection() {
      if (!connection)
        throw new Error(
          'The database component is not started; register it and await lifecycle.start() first.',
        );
      return connection;
    },
    async start() {
      connection ??= await connectPostgres(options);
    },
    async health() {
      if (!connection) throw new Error('not connected yet');
      await connection.check();
    },
    async stop() {
      await connection?.close();
    },
  };
}

/**
 * The embedded PostgreSQL `npm test` uses when DATABASE_URL is unset: @bosun/core's
 * embedded server, data under `<repo>/.bosun/test-postgres`, on a free port, stopped at
 * teardown. Test databases are created and dropped by test-database.ts.
 *
 * Invariants:
 * - NEVER_PORT_5432 (inherited from core): it never competes with a system PostgreSQL.
 * - Two test runs at once in one checkout both work: when the shared directory is in use,
 *   this run gets a private directory (`test-postgres-<pid>`) and deletes it at teardown.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, isBosunError, startEmbeddedPostgres as startCoreEmbedded } from '@bosun/core';

const bosunDir = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', '.bosun');

export async function startEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const log = createLogger({
    service: 'bosun-tests',
    instance: 'global-setup',
    level: 'warn',
    destination: 'stderr',
  });
  const shared = join(bosunDir, 'test-postgres');
  try {
    const db = await startCoreEmbedded({ dataDir: shared, log });
    return { url: db.url, stop: db.stop };
  } catch (error) {
    if (!isBosunError(error, 'BOSUN_EMBEDDED_POSTGRES_FAILED') || error.meta?.owner === undefined)
      throw error;
    const own = join(bosunDir, `test-postgres-${process.pid}`);
    const db = await startCoreEmbedded({ dataDir: own, log });
    return {
      url: db.url,
      stop: async () => {
        await db.stop();
        rmSync(own, { recursive: true, force: true });
      },
    };
  }
}

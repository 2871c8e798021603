/** Placeholder until @bosun/core's embedded PostgreSQL helper lands; see global-setup.ts. */
export async function startEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  throw new Error('No DATABASE_URL set and the embedded PostgreSQL for tests is not wired yet. Set DATABASE_URL.');
}

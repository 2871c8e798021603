/** NATS for tests: the URL from vitest's global setup, and whether NATS tests must skip. */
// The type import brings in @bosun/testing's ProvidedContext (natsUrl, databaseUrl).
import type {} from '@bosun/testing';
import { inject } from 'vitest';

/** An empty NATS_URL means not configured, as in @bosun/testing. */
export const natsUrl = inject('natsUrl') || undefined;
/** NOTHING_SKIPPED_IN_CI: under CI=true NATS tests always run (global setup fails without NATS_URL). */
export const skipNats = natsUrl === undefined && process.env.CI !== 'true';

/** @bosun/testing — test infrastructure: a PostgreSQL database per test file, NATS, process harness. */
export { createTestDatabase, databaseUrl, serverUrl, useTestDatabase } from './test-database.js';
export type { TemplateOptions, TestDatabase } from './test-database.js';

/** @bosun/testing — test infrastructure: a PostgreSQL database per test file, NATS, process harness, leak check. */

export type { LeakCheckOptions, ResourceCounts } from './leak-check.js';
export { assertNoLeakedResources, captureResources, leakedResources, useLeakCheck } from './leak-check.js';
export { describeWithNats, natsUrl, requireNats } from './nats.js';
export type { OtlpReceiver } from './otlp-receiver.js';
export { startOtlpReceiver } from './otlp-receiver.js';
export type { ExitResult, ServiceProcess, SpawnServiceOptions } from './process-harness.js';
export { killAllServices, spawnService } from './process-harness.js';
export type { TemplateOptions, TestDatabase } from './test-database.js';
export { createTestDatabase, databaseUrl, serverUrl, useTestDatabase } from './test-database.js';

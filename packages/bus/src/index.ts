/**
 * @bosun/bus — services talking to services: the Transport port with NATS and
 * in-process adapters, RPC (serveRpc, createClient) with per-target resilience,
 * durable events with a transactional outbox, and registry heartbeats.
 */
export type { BusErrorCode } from './bus.errors.js';
export { busErrors } from './bus.errors.js';
export { client } from './context-client.js';
export type { ReplyEnvelope, RequestEnvelope } from './envelope.js';
export { ENVELOPE_VERSION, HEADERS } from './envelope.js';
export type {
  DeadLetter,
  EventBus,
  EventBusOptions,
  EventContextInit,
  EventEnvelope,
  PublishOptions,
} from './event-bus.js';
export { createEventBus, defaultEventContext } from './event-bus.js';
export type { InProcessBroker } from './in-process.broker.js';
export { createInProcessBroker } from './in-process.broker.js';
export type { InProcessTransportOptions } from './in-process.transport.js';
export { createInProcessTransport } from './in-process.transport.js';
export type { NatsTransportOptions } from './nats.transport.js';
export { createNatsTransport } from './nats.transport.js';
export { DEFAULT_OUTBOX_SCHEMA, outboxMigrations } from './outbox-migrations.js';
export type { OutboxListenClient, OutboxPool, OutboxRelay, OutboxRelayOptions } from './outbox-relay.js';
export { createOutboxRelay } from './outbox-relay.js';
export type { OutboxEntry, OutboxWriter, OutboxWriterOptions } from './outbox-writer.js';
export { createOutboxWriter } from './outbox-writer.js';
export type { Heartbeat, HeartbeatMessage, HeartbeatOptions, OperationInfo } from './registry-heartbeat.js';
export {
  describeOperations,
  heartbeatSchema,
  operationInfoSchema,
  startHeartbeat,
} from './registry-heartbeat.js';
export type { InstanceEntry, RegistryView, RegistryViewOptions, ServiceEntry } from './registry-view.js';
export { createRegistryView } from './registry-view.js';
export type { BreakerState, Resilience, ResilienceOptions } from './resilience.js';
export { createResilience } from './resilience.js';
export type { BusClient, CallOptions, ClientOptions, OnBehalfOf, TokenProvider } from './rpc-client.js';
export { createClient } from './rpc-client.js';
export type { RequestVerifier, RpcContextInit, RpcServer, RpcServerOptions } from './rpc-server.js';
export { bearerToken, defaultRpcContext, serveRpc } from './rpc-server.js';
export type { Subjects } from './subjects.js';
export { DEFAULT_ROOT, subjectsFor } from './subjects.js';
export type {
  BusHeaders,
  BusMessage,
  ConsumerSpec,
  Disposition,
  EventDelivery,
  Reply,
  RequestOptions,
  Subscription,
  Transport,
} from './transport.port.js';

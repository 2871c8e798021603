/**
 * Events, MCP resources and MCP prompts of a service definition.
 */
import type { z } from 'zod';
import type { OperationContext } from './context.js';

export interface EventSubscription<S extends z.ZodType = z.ZodType, C = any> {
  schema: S;
  /** Deliveries before the event goes to the dead-letter subject. Default 5. */
  maxDeliveries?: number;
  handler(data: z.output<S>, ctx: OperationContext<C>): Promise<void> | void;
}

export interface EventsSpec {
  publishes?: Record<string, z.ZodType>;
  subscribes?: Record<string, EventSubscription>;
}

export function subscribe<S extends z.ZodType, C = Readonly<Record<string, unknown>>>(
  spec: EventSubscription<S, C>,
): EventSubscription<S, C> {
  return spec;
}

export interface ResourceContent {
  uri: string;
  mimeType?: string;
  text: string;
}

export interface ResourceSpec<C = any> {
  /** URI or RFC 6570 URI template, e.g. `users://profile/{id}`. */
  uri: string;
  title?: string;
  description?: string;
  mimeType?: string;
  read(params: Record<string, string>, ctx: OperationContext<C>): Promise<unknown> | unknown;
  /** Lists concrete URIs for a template. */
  list?: (
    ctx: OperationContext<C>,
  ) => Promise<Array<{ uri: string; name: string }>> | Array<{ uri: string; name: string }>;
}

export interface PromptMessage {
  role: 'user' | 'assistant';
  text: string;
}

export interface PromptSpec<A extends Record<string, z.ZodType> = Record<string, z.ZodType>, C = any> {
  title?: string;
  description?: string;
  /** Arguments as a raw Zod shape; MCP prompt arguments are strings. */
  args: A;
  render: (
    args: { [K in keyof A]: z.output<A[K]> },
    ctx: OperationContext<C>,
  ) => Promise<PromptMessage[]> | PromptMessage[];
}

/** A prompt of any argument shape, as a service definition holds it. */
// biome-ignore lint/suspicious/noExplicitAny: argument shapes vary per prompt; each is checked where it is declared.
export type AnyPrompt = PromptSpec<any, any>;

export function resource<C = Readonly<Record<string, unknown>>>(spec: ResourceSpec<C>): ResourceSpec<C> {
  return spec;
}

export function prompt<A extends Record<string, z.ZodType>, C = Readonly<Record<string, unknown>>>(
  spec: PromptSpec<A, C>,
): PromptSpec<A, C> {
  return spec;
}

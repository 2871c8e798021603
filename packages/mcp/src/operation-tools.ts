/**
 * Every operation with `mcp !== false` as a tool: name, title, description, the input's
 * raw Zod shape, an outputSchema when the output is an object, annotations from the HTTP
 * method, and a call through core's invoke() (INPUT_IS_VALIDATED / OUTPUT_IS_VALIDATED).
 *
 * Non-object inputs: MCP tool arguments are always an object, so an operation whose input
 * is not a z.object (an array, a string) takes its input as the single argument `input`.
 * Long-running operations are handled in long-running.ts.
 */
import { type AnyOperation, type AnyService, invoke, type OperationContext } from '@bosun/core';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { JobsPort } from './jobs.port.js';
import { longRunningCall } from './long-running.js';
import type { ToolCall, ToolEntry } from './tool-registry.js';
import { successResult } from './tool-result.js';

export type ContextFor = (call: ToolCall) => Promise<OperationContext>;

export interface OperationToolsOptions {
  context: ContextFor;
  jobs?: JobsPort;
  /** Poll interval when the jobs port has no waitForTerminal. Default 250 ms. */
  pollIntervalMs?: number;
}

export function toolName(name: string, op: AnyOperation): string {
  return typeof op.mcp === 'object' && op.mcp.name ? op.mcp.name : name;
}

export function annotationsFor(op: AnyOperation): ToolAnnotations | undefined {
  const method = op.http ? op.http.split(' ')[0] : undefined;
  const derived: ToolAnnotations = {};
  if (method === 'GET') derived.readOnlyHint = true;
  if (method === 'DELETE') Object.assign(derived, { readOnlyHint: false, destructiveHint: true });
  if (method && method !== 'GET' && method !== 'DELETE') derived.readOnlyHint = false;
  if (op.idempotent) derived.idempotentHint = true;
  const merged = { ...derived, ...(typeof op.mcp === 'object' ? op.mcp.annotations : {}) };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

export const isObjectSchema = (schema: z.ZodType): schema is z.ZodObject => schema instanceof z.ZodObject;

export function operationTools(service: AnyService, options: OperationToolsOptions): ToolEntry[] {
  const tools: ToolEntry[] = [];
  for (const [name, op] of Object.entries(service.operations)) {
    if (op.mcp === false) continue;
    const mcp = typeof op.mcp === 'object' ? op.mcp : {};
    const objectInput = isObjectSchema(op.input);
    const inputSchema = objectInput ? (op.input as z.ZodObject).shape : { input: op.input };
    const toInput = (args: Record<string, unknown>) => (objectInput ? args : args.input);
    const entry: ToolEntry = {
      name: toolName(name, op),
      title: mcp.title ?? op.title,
      description: mcp.description ?? op.description,
      inputSchema,
      annotations: annotationsFor(op),
      call: async (args, call) => {
        const base = await options.context(call);
        const ctx: OperationContext = {
          ...base,
          progress: (value, message) => call.progress(value, message),
        };
        if (op.longRunning && options.jobs) {
          return longRunningCall({
            service,
            name,
            op,
            input: toInput(args),
            ctx,
            call,
            jobs: options.jobs,
            pollIntervalMs: options.pollIntervalMs,
          });
        }
        return successResult(await invoke(service, name, toInput(args), ctx));
      },
    };
    if (!op.longRunning && isObjectSchema(op.output)) entry.outputSchema = op.output;
    tools.push(entry);
  }
  return tools;
}

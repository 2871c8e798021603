/**
 * A service's MCP resources (static URIs and RFC 6570 templates, with `list`) and prompts
 * (typed arguments), plus the `bosun://jobs/{id}` template when a jobs port is given.
 *
 * Invariants:
 * - A resource or prompt that throws answers a JSON-RPC error whose message starts with the
 *   bosun code (`BOSUN_MCP_JOB_NOT_FOUND: ...`) and whose `data` is `{ code, status, retryable }`.
 * - Template variables reach `read` as single strings (a list takes its first value).
 */
import { type AnyService, type OperationContext, toBosunError } from '@bosun/core';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { type JobsPort, jobResourceUri } from './jobs.port.js';
import { mcpErrors } from './mcp.errors.js';
import type { ToolExtra } from './tool-registry.js';

export type ContextForExtra = (extra: ToolExtra, label: string) => Promise<OperationContext>;

function asMcpError(error: unknown): McpError {
  if (error instanceof McpError) return error;
  const err = toBosunError(error);
  const code =
    err.status === 404 ? -32002 : err.status < 500 ? ErrorCode.InvalidParams : ErrorCode.InternalError;
  return new McpError(code, `${err.code}: ${err.detail ?? err.title}`, {
    code: err.code,
    status: err.status,
    retryable: err.retryable,
  });
}

const firstValues = (vars: Record<string, string | string[]>) =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));

const render = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

export function registerResources(server: McpServer, service: AnyService, context: ContextForExtra): void {
  for (const [name, spec] of Object.entries(service.resources)) {
    const metadata = {
      title: spec.title,
      description: spec.description,
      mimeType: spec.mimeType ?? 'application/json',
    };
    const read = async (uri: URL, params: Record<string, string>, extra: ToolExtra) => {
      try {
        const value = await spec.read(params, await context(extra, `resource:${name}`));
        return { contents: [{ uri: uri.href, mimeType: metadata.mimeType, text: render(value) }] };
      } catch (error) {
        throw asMcpError(error);
      }
    };
    if (!spec.uri.includes('{')) {
      server.registerResource(name, spec.uri, metadata, (uri, extra) => read(uri, {}, extra));
      continue;
    }
    const list = spec.list;
    const template = new ResourceTemplate(spec.uri, {
      list: list
        ? async (extra) => {
            try {
              const items = await list(await context(extra, `resource-list:${name}`));
              return {
                resources: items.map((r) => ({ uri: r.uri, name: r.name, mimeType: metadata.mimeType })),
              };
            } catch (error) {
              throw asMcpError(error);
            }
          }
        : undefined,
    });
    server.registerResource(name, template, metadata, (uri, vars, extra) =>
      read(uri, firstValues(vars), extra),
    );
  }
}

export function registerJobResource(server: McpServer, jobs: JobsPort): void {
  const template = new ResourceTemplate('bosun://jobs/{id}', { list: undefined });
  const metadata = {
    title: 'A background job',
    description: 'State, progress, output or error of a job started by a long-running tool.',
    mimeType: 'application/json',
  };
  server.registerResource('bosun-job', template, metadata, async (_uri, vars) => {
    const id = decodeURIComponent(firstValues(vars).id ?? '');
    try {
      const job = await jobs.get(id);
      if (!job) throw mcpErrors.create('BOSUN_MCP_JOB_NOT_FOUND', `No job has id "${id}".`);
      const body = {
        id: job.id,
        state: job.state,
        progress: job.progress ?? null,
        output: job.output ?? null,
        error: job.error ?? null,
      };
      return {
        contents: [{ uri: jobResourceUri(job.id), mimeType: 'application/json', text: render(body) }],
      };
    } catch (error) {
      throw asMcpError(error);
    }
  });
}

export function registerPrompts(server: McpServer, service: AnyService, context: ContextForExtra): void {
  for (const [name, spec] of Object.entries(service.prompts)) {
    server.registerPrompt(
      name,
      {
        title: spec.title,
        description: spec.description,
        argsSchema: spec.args as Record<string, z.ZodString>,
      },
      async (args, extra) => {
        try {
          const messages = await spec.render(args as never, await context(extra, `prompt:${name}`));
          return {
            messages: messages.map((m) => ({
              role: m.role,
              content: { type: 'text' as const, text: m.text },
            })),
          };
        } catch (error) {
          throw asMcpError(error);
        }
      },
    );
  }
}

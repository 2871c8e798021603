/**
 * Configuration snippets for MCP clients, generated from the service so docs and the CLI
 * never drift: a Claude Code command for Streamable HTTP and a Claude Desktop
 * (`claude_desktop_config.json`) entry for stdio.
 */
import type { AnyService } from '@bosun/core';

export interface McpClientConfigOptions {
  /** The MCP endpoint, e.g. `http://localhost:3000/mcp`. */
  url?: string;
  /** How to start the service in stdio mode, e.g. `{ command: 'node', args: ['dist/main.js', '--mcp-stdio'] }`. */
  command?: { command: string; args?: string[]; env?: Record<string, string> };
  /** Server name in the client. Default: the service name. */
  name?: string;
}

export interface McpClientConfig {
  /** `claude mcp add --transport http <name> <url>` (when `url` is given). */
  claudeCode?: string;
  /** `{ mcpServers: { <name>: { command, args, env? } } }` (when `command` is given). */
  claudeDesktop?: {
    mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
  };
}

const shellQuote = (value: string) =>
  /^[A-Za-z0-9_./:@=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * @example
 * mcpClientConfig(hello, { url: 'http://localhost:3000/mcp', command: { command: 'node', args: ['src/main.ts', '--mcp-stdio'] } })
 * // { claudeCode: 'claude mcp add --transport http hello http://localhost:3000/mcp', claudeDesktop: { mcpServers: { hello: ... } } }
 */
export function mcpClientConfig(service: AnyService, options: McpClientConfigOptions): McpClientConfig {
  const name = options.name ?? service.name;
  const config: McpClientConfig = {};
  if (options.url !== undefined) {
    config.claudeCode = `claude mcp add --transport http ${shellQuote(name)} ${shellQuote(options.url)}`;
  }
  if (options.command !== undefined) {
    const entry: { command: string; args: string[]; env?: Record<string, string> } = {
      command: options.command.command,
      args: options.command.args ?? [],
    };
    if (options.command.env) entry.env = options.command.env;
    config.claudeDesktop = { mcpServers: { [name]: entry } };
  }
  return config;
}

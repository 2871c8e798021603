import { describe, expect, it } from 'vitest';
import { mcpClientConfig } from '../src/client-config.js';
import { demo } from './fixtures/demo-service.js';

describe('mcpClientConfig', () => {
  it('generates the Claude Code command and the Claude Desktop entry', () => {
    const config = mcpClientConfig(demo, {
      url: 'http://localhost:3000/mcp',
      command: {
        command: 'node',
        args: ['dist/main.js', '--mcp-stdio'],
        env: { DATABASE_URL: 'postgres://x' },
      },
    });
    expect(config.claudeCode).toBe('claude mcp add --transport http demo http://localhost:3000/mcp');
    expect(config.claudeDesktop).toEqual({
      mcpServers: {
        demo: {
          command: 'node',
          args: ['dist/main.js', '--mcp-stdio'],
          env: { DATABASE_URL: 'postgres://x' },
        },
      },
    });
  });

  it('quotes what a shell would split, and gives only what was asked for', () => {
    const config = mcpClientConfig(demo, { url: 'http://localhost:3000/mcp?a=1&b=2', name: 'my demo' });
    expect(config.claudeCode).toBe(
      "claude mcp add --transport http 'my demo' 'http://localhost:3000/mcp?a=1&b=2'",
    );
    expect(config.claudeDesktop).toBeUndefined();
  });
});

/** `bosun mcp-config <module>`: how to add the service to Claude Code and Claude Desktop. */
import { resolve } from 'node:path';
import { mcpClientConfig } from '@bosun/mcp';
import { loadService } from '../load-service.js';
import type { Args } from '../parse-args.js';

export async function mcpConfig(args: Args): Promise<number> {
  const path = args.positionals[0];
  const service = await loadService(path, args.flags.export);
  const main = resolve(path!, '..', 'main.ts');
  const config = mcpClientConfig(service, {
    url: args.flags.url ?? 'http://localhost:3000/mcp',
    command: { command: process.execPath, args: ['--import', 'tsx', main, '--mcp-stdio'] },
  });
  process.stdout.write(
    `# Claude Code (Streamable HTTP; the service must be running)\n${config.claudeCode}\n\n` +
      `# Claude Desktop (stdio; add to claude_desktop_config.json, set DATABASE_URL in "env" if needed)\n` +
      `${JSON.stringify(config.claudeDesktop, null, 2)}\n`,
  );
  return 0;
}

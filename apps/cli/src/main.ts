/**
 * The `bosun` command line.
 *
 *   bosun doctor                      check Node, PostgreSQL and NATS
 *   bosun new <name> [--dir services]  scaffold a service
 *   bosun openapi <module> [--export name]         print a service's OpenAPI document
 *   bosun mcp-config <module> [--url URL] [--export name]   Claude Code / Desktop snippets
 *
 * Exit codes: 0 ok, 1 a check or command failed, 2 usage error.
 */

import { doctor } from './commands/doctor.js';
import { mcpConfig } from './commands/mcp-config.js';
import { newService } from './commands/new-service.js';
import { openapi } from './commands/openapi.js';
import { env } from './config.js';
import { parseArgs, UsageError } from './parse-args.js';

const USAGE = `usage: bosun <command>
  doctor                                   check Node, PostgreSQL (DATABASE_URL) and NATS (NATS_URL)
  new <name> [--dir services]              scaffold a service: definition, config, main, tests, Dockerfile
  openapi <module> [--export name]         print the OpenAPI 3.1 document of a service module
  mcp-config <module> [--url URL] [--export name]
                                           print Claude Code and Claude Desktop configuration`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const args = parseArgs(rest);
  switch (command) {
    case 'doctor':
      return doctor(env);
    case 'new':
      return newService(args);
    case 'openapi':
      return openapi(args);
    case 'mcp-config':
      return mcpConfig(args);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`bosun: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`bosun: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

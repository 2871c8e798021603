/** `bosun openapi <module>`: the service's OpenAPI 3.1 document on stdout. */
import { buildOpenApiDocument } from '@bosun/http';
import { loadService } from '../load-service.js';
import type { Args } from '../parse-args.js';

export async function openapi(args: Args): Promise<number> {
  const service = await loadService(args.positionals[0], args.flags.export);
  process.stdout.write(`${JSON.stringify(buildOpenApiDocument(service), null, 2)}\n`);
  return 0;
}

/** Writes hello's OpenAPI document to openapi.json (`npm run openapi -w examples/hello`). */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '@bosun/http';
import { hello } from '../src/service.js';

export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(hello), null, 2)}\n`;
}

if (process.argv[1]?.endsWith('openapi.ts')) {
  writeFileSync(new URL('../openapi.json', import.meta.url), renderOpenApi());
  console.log('wrote examples/hello/openapi.json');
}

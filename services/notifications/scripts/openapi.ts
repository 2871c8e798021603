/** Writes the notifications service's OpenAPI document to openapi.json (`npm run openapi -w services/notifications`). */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '@bosun/http';
import { notifications } from '../src/service.js';

export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(notifications), null, 2)}\n`;
}

if (process.argv[1]?.endsWith('openapi.ts')) {
  writeFileSync(new URL('../openapi.json', import.meta.url), renderOpenApi());
  console.log('wrote services/notifications/openapi.json');
}

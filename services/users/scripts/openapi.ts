/** Writes the users service's OpenAPI document to openapi.json (`npm run openapi -w services/users`). */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '@bosun/http';
import { users } from '../src/service.js';

export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(users), null, 2)}\n`;
}

if (process.argv[1]?.endsWith('openapi.ts')) {
  writeFileSync(new URL('../openapi.json', import.meta.url), renderOpenApi());
  console.log('wrote services/users/openapi.json');
}

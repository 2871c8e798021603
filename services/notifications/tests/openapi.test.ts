import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { renderOpenApi } from '../scripts/openapi.js';

test('the committed OpenAPI document is what the service generates (regenerate: npm run openapi -w services/notifications)', () => {
  const committed = readFileSync(new URL('../openapi.json', import.meta.url), 'utf8');
  expect(committed).toBe(renderOpenApi());
});

/**
 * The `Problem` component: RFC 9457 problem details as @bosun/core's toProblem() renders
 * them (type, title, status, detail, code, retryable, requestId; extension members allowed).
 */
import type { JsonSchema } from './json-schema.js';

export const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details with the stable bosun error code.',
  required: ['type', 'title', 'status', 'code', 'retryable'],
  properties: {
    type: { type: 'string', description: 'https://bosun.dev/errors/<code>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What happened this time; hidden for 5xx in production.' },
    code: { type: 'string', description: 'Stable error code, e.g. BOSUN_VALIDATION_FAILED.' },
    retryable: { type: 'boolean' },
    requestId: { type: 'string' },
    instance: { type: 'string' },
    issues: {
      type: 'array',
      description: 'Validation issues (BOSUN_VALIDATION_FAILED).',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

/**
 * OpenAPI responses for error statuses, each an `application/problem+json` `$ref` to the
 * `Problem` component: `{ '400': 'Malformed …', default: 'Any other error' }` in, responses out.
 */
export function problemResponses(descriptions: Record<string, string>): Record<string, JsonSchema> {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, description] of Object.entries(descriptions)) {
    responses[status] = {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return responses;
}

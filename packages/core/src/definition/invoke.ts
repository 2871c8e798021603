/**
 * invoke(): the single invocation path every transport goes through (HTTP, MCP, RPC,
 * GraphQL, in-process). Validation and error mapping live here and nowhere else, so an
 * error carries the same code on every transport.
 *
 * Invariants:
 * - INPUT_IS_VALIDATED: a handler never sees input that failed its schema.
 * - OUTPUT_IS_VALIDATED: a caller never sees output that failed its schema (BOSUN_OUTPUT_INVALID).
 * - Every throw leaves as a BosunError (CAUSE_IS_KEPT).
 */
import type { BosunError } from '../errors/bosun-error.js';
import { coreErrors } from '../errors/core.errors.js';
import { describeIssues, toBosunError, validationError, zodIssues } from '../errors/normalize-error.js';
import type { OperationContext } from './context.js';
import type { AnyOperation } from './operation.js';
import type { AnyService } from './service-definition.js';

export function getOperation(service: AnyService, name: string): AnyOperation {
  const op = Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
  if (!op) {
    throw coreErrors.create(
      'BOSUN_OPERATION_NOT_FOUND',
      `Service "${service.name}" has no operation "${name}". Known: ${Object.keys(service.operations).join(', ') || 'none'}.`,
    );
  }
  return op;
}

export async function invoke(
  service: AnyService,
  operationName: string,
  input: unknown,
  ctx: OperationContext<any>,
): Promise<unknown> {
  let op: AnyOperation;
  try {
    op = getOperation(service, operationName);
  } catch (error) {
    throw toBosunError(error);
  }
  const parsed = await op.input.safeParseAsync(input);
  if (!parsed.success) throw validationError(parsed.error);
  if (ctx.signal.aborted)
    throw coreErrors.create('BOSUN_UNAVAILABLE', 'The request was cancelled before it started.');
  let result: unknown;
  try {
    result = await op.handler(parsed.data, ctx);
  } catch (error) {
    throw toBosunError(error);
  }
  const checked = await op.output.safeParseAsync(result);
  if (!checked.success) {
    const issues = zodIssues(checked.error);
    const err: BosunError = coreErrors.create(
      'BOSUN_OUTPUT_INVALID',
      `Operation "${service.name}.${operationName}" returned invalid output: ${describeIssues(issues)}. Fix the handler or its output schema.`,
      { meta: { issues }, cause: checked.error },
    );
    ctx.log.error({ err, operation: operationName }, 'operation output failed its schema');
    throw err;
  }
  return checked.data;
}

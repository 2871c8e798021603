/**
 * Turns anything thrown into a BosunError, once, at each boundary (transport, job
 * runner). The original throw is kept as `cause` (CAUSE_IS_KEPT).
 */
import { z } from 'zod';
import { BosunError } from './bosun-error.js';
import { coreErrors } from './core.errors.js';

export interface ValidationIssue {
  path: string;
  message: string;
  code: string;
}

export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

/** A readable one-line summary of validation issues: `name: Required; age: Too small`. */
export function describeIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');
}

export function validationError(error: z.ZodError, what = 'input'): BosunError {
  const issues = zodIssues(error);
  return coreErrors.create('BOSUN_VALIDATION_FAILED', `Invalid ${what}: ${describeIssues(issues)}`, {
    meta: { issues },
    cause: error,
  });
}

export function toBosunError(value: unknown): BosunError {
  if (value instanceof BosunError) return value;
  if (value instanceof z.ZodError) return validationError(value);
  if (value instanceof Error && value.name === 'AbortError') {
    return coreErrors.create('BOSUN_TIMEOUT', value.message, { cause: value });
  }
  const detail = value instanceof Error ? value.message : typeof value === 'string' ? value : undefined;
  return coreErrors.create('BOSUN_INTERNAL', detail, { cause: value });
}

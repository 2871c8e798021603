/**
 * What a dashboard page renders from: its query parameters, the session, and `run`, which
 * calls one of the registry's own operations through core's invoke() — the same
 * validation, admin checks and error codes as REST, MCP and RPC (INPUT_IS_VALIDATED).
 */
import type { Session } from '../layout.js';

export interface PageContext {
  params: Record<string, string | undefined>;
  session: Session;
  // biome-ignore lint/suspicious/noExplicitAny: each page reads the output shape of the operation it names.
  run<T = any>(operation: string, input: Record<string, unknown>): Promise<T>;
}

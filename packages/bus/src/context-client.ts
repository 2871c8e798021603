/**
 * client(ctx, target): the typed client a handler uses to call another service, built
 * on the context's `call` port (which the runtime backs with a resilient bus client that
 * signs a service token per call). Typing comes from the callee's definition:
 *
 *   const users = client<typeof usersService>(ctx, 'users');
 *   const user = await users.getUser({ id }); // typed input and output
 *
 * The request id and trace context of `ctx` travel with the call.
 */
import type { ClientOf, OperationContext } from '@bosun/core';
import { busErrors } from './bus.errors.js';

export function client<S>(ctx: OperationContext<unknown>, target: string): ClientOf<S> {
  const call = ctx.call;
  return new Proxy({} as ClientOf<S> & object, {
    get(_, operation) {
      if (typeof operation !== 'string' || operation === 'then') return undefined;
      return (input: unknown, options?: { timeoutMs?: number }) => {
        if (!call) {
          return Promise.reject(
            busErrors.create(
              'BOSUN_BUS_CLOSED',
              `This context cannot call "${target}.${operation}": it was not built by the bosun runtime (no ctx.call).`,
            ),
          );
        }
        return call(target, operation, input, options);
      };
    },
  }) as ClientOf<S>;
}

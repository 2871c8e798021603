import { type ClientOf, defineService, operation } from '@bosun/core';
import { z } from 'zod';

export const hello = defineService({
  name: 'hello',
  operations: {
    greet: operation({
      input: z.object({ name: z.string() }),
      output: z.object({ message: z.string() }),
      http: 'POST /greet',
      handler: ({ name }) => ({ message: `Hello, ${name}` }),
    }),
  },
});
type C = ClientOf<typeof hello>;
export const check = async (c: C): Promise<string> => (await c.greet({ name: 'x' })).message;

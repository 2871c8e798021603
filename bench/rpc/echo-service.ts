/** The echo operation every RPC contender serves, and the payload the clients send. */
import { defineService, operation } from '@bosun/core';
import { z } from 'zod';

export const EchoInput = z.object({ text: z.string().max(1000) });
export const EchoOutput = z.object({ text: z.string() });

export const echoService = defineService({
  name: 'echo',
  version: '1.0.0',
  operations: {
    echo: operation({
      input: EchoInput,
      output: EchoOutput,
      idempotent: true,
      handler: ({ text }) => ({ text }),
    }),
  },
});

export const PAYLOAD = { text: 'The quick brown fox jumps over the lazy dog, 0123456789 times.' };

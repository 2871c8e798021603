/**
 * The operation both HTTP contenders serve: one handler and one pair of Zod schemas,
 * used by bosun through defineService/operation and by bare Fastify through
 * @fastify/type-provider-zod (input validated, output validated and serialized).
 */
import { defineService, operation } from '@bosun/core';
import { z } from 'zod';

export const CreateItemInput = z.object({
  name: z.string().min(1).max(50),
  tags: z.array(z.string().max(20)).max(5).default([]),
  quantity: z.number().int().min(1).max(1000),
});

export const Item = z.object({
  id: z.string(),
  name: z.string(),
  tags: z.array(z.string()),
  quantity: z.number().int(),
});

let counter = 0;

export function createItem(input: z.output<typeof CreateItemInput>): z.output<typeof Item> {
  counter = (counter + 1) % 1_000_000;
  return { id: `item-${counter}`, name: input.name, tags: input.tags, quantity: input.quantity };
}

export const itemService = defineService({
  name: 'items',
  version: '1.0.0',
  operations: {
    createItem: operation({
      input: CreateItemInput,
      output: Item,
      http: 'POST /items',
      handler: (input) => createItem(input),
    }),
  },
});

/** The request body autocannon sends to both contenders. */
export const REQUEST_BODY = JSON.stringify({ name: 'pen', tags: ['blue', 'office'], quantity: 3 });

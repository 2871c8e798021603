/**
 * hello — the smallest real bosun service. Two operations (REST, MCP and RPC from one
 * definition each), a job on the PostgreSQL queue, a schedule, an MCP resource and a
 * prompt. Its table lives in its own schema, created by its migrations.
 */
import { defineErrors, defineService, job, operation, prompt, resource } from '@bosun/core';
import { z } from 'zod';

export const helloErrors = defineErrors('@bosun/example-hello', {
  HELLO_GREETING_NOT_FOUND: { status: 404, retryable: false, title: 'No such greeting' },
});

const Greeting = z.object({
  id: z.string(),
  name: z.string(),
  message: z.string(),
  delivered: z.boolean(),
  createdAt: z.string(),
});

interface GreetingRow extends Record<string, unknown> {
  id: string;
  name: string;
  message: string;
  delivered: boolean;
  created_at: Date;
}

const toGreeting = (row: GreetingRow) => ({
  id: String(row.id),
  name: row.name,
  message: row.message,
  delivered: row.delivered,
  createdAt: row.created_at.toISOString(),
});

export const hello = defineService({
  name: 'hello',
  version: '0.1.0',
  description: 'Greets people and remembers whom it greeted.',
  env: z.object({ HELLO_GREETING: z.string().default('Hello') }),
  migrations: [
    {
      name: '001-greetings',
      sql: `CREATE TABLE greetings (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              name text NOT NULL,
              message text NOT NULL,
              delivered boolean NOT NULL DEFAULT false,
              created_at timestamptz NOT NULL DEFAULT now())`,
    },
  ],
  operations: {
    greet: operation({
      title: 'Greet someone',
      description: 'Stores a greeting for `name` and queues its delivery.',
      input: z.object({ name: z.string().min(1).max(100) }),
      output: Greeting,
      http: 'POST /greetings',
      handler: async ({ name }, ctx) => {
        const db = ctx.db!;
        const greeting = `${String(ctx.config.HELLO_GREETING ?? 'Hello')}, ${name}!`;
        const { rows } = await db.query<GreetingRow>(
          'INSERT INTO greetings (name, message) VALUES ($1, $2) RETURNING *',
          [name, greeting],
        );
        const row = rows[0]!;
        await ctx.jobs.send('deliver-greeting', { id: String(row.id) });
        return toGreeting(row);
      },
    }),
    getGreeting: operation({
      title: 'Get a greeting',
      input: z.object({ id: z.string().regex(/^\d+$/, 'id is a number') }),
      output: Greeting,
      http: 'GET /greetings/:id',
      idempotent: true,
      handler: async ({ id }, ctx) => {
        const { rows } = await ctx.db!.query<GreetingRow>('SELECT * FROM greetings WHERE id = $1', [id]);
        if (!rows[0]) throw helloErrors.create('HELLO_GREETING_NOT_FOUND', `No greeting with id ${id}.`);
        return toGreeting(rows[0]);
      },
    }),
  },
  jobs: {
    'deliver-greeting': job({
      data: z.object({ id: z.string() }),
      retryLimit: 3,
      retryBackoff: true,
      handler: async ({ id }, ctx) => {
        await ctx.db!.query('UPDATE greetings SET delivered = true WHERE id = $1', [id]);
        ctx.log.info({ id }, 'greeting delivered');
      },
    }),
    'count-greetings': job({
      data: z.object({}).optional(),
      handler: async (_data, ctx) => {
        const { rows } = await ctx.db!.query<{ n: string }>('SELECT count(*)::text AS n FROM greetings');
        ctx.log.info({ greetings: Number(rows[0]?.n ?? 0) }, 'greetings so far');
      },
    }),
  },
  schedules: { 'count-greetings': { cron: '0 * * * *' } },
  resources: {
    greeting: resource({
      uri: 'hello://greetings/{id}',
      title: 'A greeting',
      mimeType: 'application/json',
      read: async ({ id }, ctx) => {
        const { rows } = await ctx.db!.query<GreetingRow>('SELECT * FROM greetings WHERE id = $1', [id]);
        if (!rows[0]) throw helloErrors.create('HELLO_GREETING_NOT_FOUND', `No greeting with id ${id}.`);
        return toGreeting(rows[0]);
      },
    }),
  },
  prompts: {
    'write-greeting': prompt({
      title: 'Write a greeting',
      description: 'Asks the model for a warm greeting in a given style.',
      args: { name: z.string(), style: z.string().optional() },
      render: ({ name, style }) => [
        { role: 'user', text: `Write a short ${style ?? 'friendly'} greeting for ${name}.` },
      ],
    }),
  },
});

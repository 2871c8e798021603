/**
 * The gateway's GraphQL schema, generated from the catalog: one field per operation
 * (`users_getUser`), on Query for read (GET) operations and on Mutation otherwise, unless
 * the descriptor says `graphql: false` or names the kind. Arguments are the input's
 * top-level properties (an input that is not an object with named properties is one `input:
 * JSON` argument); the result type comes from the output schema.
 *
 * Invariants:
 * - SAME_RULE_EVERY_SURFACE: each resolver authorizes with access.ts and forwards with
 *   forwarder.ts, like REST and MCP, so a refusal has the same code.
 * - CODE_IN_EXTENSIONS: a failed field is a GraphQL error whose `extensions` carry the bosun
 *   `code`, `status`, `retryable` and `requestId`; 5xx details are hidden in production.
 * - Root fields are nullable, so one failed field does not null the whole response.
 */
import { type BosunError, toBosunError } from '@bosun/core';
import { pascalCase } from '@bosun/http';
import type { GraphQLFieldConfig, GraphQLFieldConfigArgumentMap, GraphQLSchema as Schema } from 'graphql';
import { graphql } from './graphql-cjs.js';

const { GraphQLInt, GraphQLObjectType, GraphQLSchema } = graphql;

import mercurius from 'mercurius';
import type { Access } from './access.js';
import type { CatalogEntry } from './catalog.js';
import type { Forwarder } from './forwarder.js';
import { JsonScalar, TypeBuilder } from './graphql-types.js';

export interface GraphqlSchemaOptions {
  /** The catalog revision, answered by `_catalogRevision`. */
  revision: () => number;
  access: Access;
  forwarder: Forwarder;
  production: boolean;
}

interface ResolverContext {
  reply: { request: { id: string; headers: Record<string, string | string[] | undefined> } };
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A BosunError as the GraphQL error mercurius formats (CODE_IN_EXTENSIONS). */
export function graphqlError(error: BosunError, requestId: string, production: boolean): Error {
  const hide = production && error.status >= 500;
  const extensions: Record<string, unknown> = {
    code: error.code,
    status: error.status,
    retryable: error.retryable,
    requestId,
  };
  if (!hide && Array.isArray(error.meta?.issues)) extensions.issues = error.meta.issues;
  return new mercurius.ErrorWithProps(hide ? error.title : (error.detail ?? error.title), extensions);
}

function fieldFor(
  entry: CatalogEntry,
  options: GraphqlSchemaOptions,
): GraphQLFieldConfig<unknown, ResolverContext> {
  const base = `${pascalCase(entry.service)}${pascalCase(entry.operation)}`;
  const inputBuilder = new TypeBuilder(entry.descriptor.inputSchema);
  const outputBuilder = new TypeBuilder(entry.descriptor.outputSchema);
  const fields = inputBuilder.inputFields(entry.descriptor.inputSchema, `${base}Input`);
  const args: GraphQLFieldConfigArgumentMap = fields ?? { input: { type: JsonScalar } };
  const description = [
    entry.descriptor.title,
    entry.descriptor.description,
    entry.descriptor.public
      ? 'Public.'
      : entry.descriptor.scope
        ? `Needs the ${entry.descriptor.scope} scope.`
        : 'Needs a signed-in user.',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    type: outputBuilder.output(entry.descriptor.outputSchema, `${base}Output`).type,
    description,
    args,
    resolve: async (_source, rawArgs: Record<string, unknown>, context) => {
      const request = context.reply.request;
      try {
        const onBehalfOf = await options.access.authorize(
          entry,
          first(request.headers.authorization),
          'graphql',
        );
        // Omitted arguments are absent, not null: the operation's schema decides about defaults.
        const input = fields
          ? Object.fromEntries(Object.entries(rawArgs).filter(([, v]) => v !== undefined))
          : rawArgs.input;
        return await options.forwarder.forward(entry, input, {
          onBehalfOf,
          requestId: request.id,
          traceparent: first(request.headers.traceparent),
        });
      } catch (error) {
        throw graphqlError(toBosunError(error), request.id, options.production);
      }
    },
  };
}

/** Builds the schema for the catalog as it is now. */
export function buildGraphqlSchema(entries: readonly CatalogEntry[], options: GraphqlSchemaOptions): Schema {
  const queries: Record<string, GraphQLFieldConfig<unknown, ResolverContext>> = {
    _catalogRevision: {
      type: GraphQLInt,
      description: 'How many times the set of operations changed since the gateway started.',
      resolve: () => options.revision(),
    },
  };
  const mutations: Record<string, GraphQLFieldConfig<unknown, ResolverContext>> = {};
  for (const entry of entries) {
    if (entry.graphql === false) continue;
    (entry.graphql === 'query' ? queries : mutations)[entry.field] = fieldFor(entry, options);
  }
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: queries }),
    mutation:
      Object.keys(mutations).length > 0
        ? new GraphQLObjectType({ name: 'Mutation', fields: mutations })
        : undefined,
  });
}

/**
 * graphql-js loaded the way mercurius loads it. graphql 16 ships both an ES module
 * (index.mjs) and CommonJS; an `import` from ESM code gets the first, mercurius' `require`
 * the second, and graphql's realm check then refuses our schema ("Cannot use GraphQLSchema
 * from another module or realm"). Every value from graphql in this service comes from here.
 */
import { createRequire } from 'node:module';

export const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

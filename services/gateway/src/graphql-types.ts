/**
 * JSON Schema (from operation descriptors) -> GraphQL types. Objects with named properties
 * become object/input types, arrays become lists, `null` in a type or anyOf makes a field
 * nullable, and anything GraphQL cannot say exactly (unions, maps, recursive refs, names
 * GraphQL does not allow) becomes the `JSON` scalar, so every operation still gets a field.
 *
 * Invariant GRAPHQL_NAMES_ARE_PATHS: a generated type is named after its position
 * (`UsersGetUserOutput`, `UsersGetUserOutput_address`), so two operations never clash.
 * Not here: the fields and resolvers (graphql-schema.ts).
 */
import type { GraphQLInputType, GraphQLOutputType } from 'graphql';
import { graphql } from './graphql-cjs.js';

const {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLString,
} = graphql;

type Json = Record<string, unknown>;

/** Any JSON value, passed through as it is. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (shapes GraphQL cannot express exactly).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast) => literalValue(ast as never),
});

interface Literal {
  kind: string;
  value?: string;
  values?: Literal[];
  fields?: Array<{ name: { value: string }; value: Literal }>;
}

function literalValue(ast: Literal): unknown {
  switch (ast.kind) {
    case 'StringValue':
    case 'EnumValue':
      return ast.value;
    case 'BooleanValue':
      return ast.value as unknown as boolean;
    case 'IntValue':
    case 'FloatValue':
      return Number(ast.value);
    case 'ListValue':
      return (ast.values ?? []).map(literalValue);
    case 'ObjectValue':
      return Object.fromEntries((ast.fields ?? []).map((f) => [f.name.value, literalValue(f.value)]));
    default:
      return null;
  }
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const INT32 = 2 ** 31 - 1;

/** Resolves `$ref`s against the root schema's `$defs`; a cycle resolves to undefined. */
class Resolver {
  private readonly active = new Set<string>();
  constructor(private readonly root: Json) {}

  with<T>(schema: Json, body: (resolved: Json) => T, fallback: () => T): T {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return body(schema);
    if (this.active.has(ref)) return fallback();
    const def = ref.startsWith('#/$defs/')
      ? ((this.root.$defs as Record<string, Json> | undefined)?.[ref.slice('#/$defs/'.length)] ?? undefined)
      : undefined;
    if (!def) return fallback();
    this.active.add(ref);
    try {
      return body(def);
    } finally {
      this.active.delete(ref);
    }
  }
}

/** The one non-null member of a `type` list or `anyOf`, and whether null is allowed. */
function unwrapNull(schema: Json): { schema: Json; nullable: boolean } {
  if (Array.isArray(schema.type)) {
    const types = (schema.type as string[]).filter((t) => t !== 'null');
    const nullable = types.length < (schema.type as string[]).length;
    return {
      schema: types.length === 1 ? { ...schema, type: types[0] } : { ...schema, type: types },
      nullable,
    };
  }
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf)) {
    const others = (anyOf as Json[]).filter((s) => s.type !== 'null');
    if (others.length === 1 && others.length < anyOf.length) return { schema: others[0]!, nullable: true };
  }
  return { schema, nullable: false };
}

function scalar(schema: Json): GraphQLOutputType & GraphQLInputType {
  switch (schema.type) {
    case 'string':
      return GraphQLString;
    case 'boolean':
      return GraphQLBoolean;
    case 'number':
      return GraphQLFloat;
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
      const max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
      return min >= -INT32 - 1 && max <= INT32 ? GraphQLInt : GraphQLFloat;
    }
    default:
      return JsonScalar;
  }
}

const namedProperties = (schema: Json): Record<string, Json> | undefined => {
  const props = schema.properties as Record<string, Json> | undefined;
  if (schema.type !== 'object' || !props || Object.keys(props).length === 0) return undefined;
  return Object.keys(props).every((k) => NAME.test(k)) ? props : undefined;
};

export class TypeBuilder {
  private readonly resolver: Resolver;
  constructor(root: unknown) {
    this.resolver = new Resolver(typeof root === 'object' && root !== null ? (root as Json) : {});
  }

  output(raw: unknown, name: string): { type: GraphQLOutputType; nullable: boolean } {
    const schema = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
    return this.resolver.with(
      schema,
      (resolved) => {
        const { schema: s, nullable } = unwrapNull(resolved);
        if (s.type === 'array' && typeof s.items === 'object' && s.items !== null) {
          const item = this.output(s.items, `${name}_item`);
          return {
            type: new GraphQLList(item.nullable ? item.type : new GraphQLNonNull(item.type)),
            nullable,
          };
        }
        const props = namedProperties(s);
        if (!props) return { type: scalar(s), nullable };
        const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
        const type = new GraphQLObjectType({
          name,
          fields: () =>
            Object.fromEntries(
              Object.entries(props).map(([key, prop]) => {
                const field = this.output(prop, `${name}_${key}`);
                const strict = required.has(key) && !field.nullable;
                return [
                  key,
                  {
                    type: strict ? new GraphQLNonNull(field.type) : field.type,
                    description: typeof prop.description === 'string' ? prop.description : undefined,
                  },
                ];
              }),
            ),
        });
        return { type, nullable };
      },
      () => ({ type: JsonScalar, nullable: true }),
    );
  }

  input(raw: unknown, name: string): { type: GraphQLInputType; nullable: boolean } {
    const schema = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
    return this.resolver.with(
      schema,
      (resolved) => {
        const { schema: s, nullable } = unwrapNull(resolved);
        if (s.type === 'array' && typeof s.items === 'object' && s.items !== null) {
          const item = this.input(s.items, `${name}_item`);
          return {
            type: new GraphQLList(item.nullable ? item.type : new GraphQLNonNull(item.type)),
            nullable,
          };
        }
        const props = namedProperties(s);
        if (!props) return { type: scalar(s), nullable };
        const fields = this.inputFields(s, name) ?? {};
        return { type: new GraphQLInputObjectType({ name, fields }), nullable };
      },
      () => ({ type: JsonScalar, nullable: true }),
    );
  }

  /** The fields of an input object (its properties), or undefined when it has no named properties. */
  inputFields(raw: unknown, name: string): Record<string, { type: GraphQLInputType }> | undefined {
    const schema = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
    return this.resolver.with(
      schema,
      (s) => {
        const props = namedProperties(s);
        if (!props) return undefined;
        const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
        return Object.fromEntries(
          Object.entries(props).map(([key, prop]) => {
            const field = this.input(prop, `${name}_${key}`);
            const strict = required.has(key) && !field.nullable && !('default' in prop);
            return [key, { type: strict ? new GraphQLNonNull(field.type) : field.type }];
          }),
        );
      },
      () => undefined,
    );
  }
}

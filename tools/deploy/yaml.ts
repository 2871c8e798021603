/**
 * A small YAML writer for the deploy manifests: maps, sequences and scalars, block style,
 * two-space indent, keys in insertion order, `undefined` values left out. Strings are
 * written plain when YAML reads them back as the same string, otherwise double-quoted
 * (JSON string escapes are valid YAML).
 *
 * Not a YAML library: no anchors, no block scalars, no parsing. Its output is what
 * tools/tests/deploy-manifests.test.ts diffs against the committed files.
 */
export type Yaml =
  | string
  | number
  | boolean
  | null
  | readonly Yaml[]
  | { readonly [key: string]: Yaml | undefined };

type Collection = readonly Yaml[] | { readonly [key: string]: Yaml | undefined };

const PLAIN = /^[A-Za-z0-9_/.][A-Za-z0-9_./:-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;
const NUMERIC = /^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^0[xob]|^[\d:._+-]+$/;

function scalar(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  const plain = PLAIN.test(value) && !RESERVED.test(value) && !NUMERIC.test(value) && !value.endsWith(':');
  return plain ? value : JSON.stringify(value);
}

const isCollection = (value: Yaml): value is Collection => typeof value === 'object' && value !== null;

function items(value: Collection): Array<[string | undefined, Yaml]> {
  if (Array.isArray(value)) return (value as readonly Yaml[]).map((item) => [undefined, item]);
  return Object.entries(value).filter((e): e is [string, Yaml] => e[1] !== undefined);
}

/** Short sequences of scalars (commands, port lists) read best on one line: `[a, b]`. */
const FLOW_MAX = 80;

function flow(value: Yaml): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const list = value as readonly Yaml[];
  if (list.some(isCollection)) return undefined;
  // Inside brackets a colon is quoted too: `[a:b]` reads differently across YAML versions.
  const text = `[${list
    .map((item) =>
      typeof item === 'string' && item.includes(':') ? JSON.stringify(item) : scalar(item as string),
    )
    .join(', ')}]`;
  return text.length <= FLOW_MAX ? text : undefined;
}

/** A scalar, a short flow sequence, or an empty collection, on one line. */
function inline(value: Yaml): string {
  if (isCollection(value)) return flow(value) ?? (Array.isArray(value) ? '[]' : '{}');
  return scalar(value);
}

const fitsOnOneLine = (value: Yaml) =>
  !isCollection(value) || items(value).length === 0 || flow(value) !== undefined;

function lines(value: Collection, indent: string): string[] {
  return items(value).flatMap(([key, item]) => {
    const nested = fitsOnOneLine(item) ? undefined : lines(item as Collection, `${indent}  `);
    if (key === undefined) {
      // A sequence item: its first nested line goes on the dash's line.
      if (!nested) return [`${indent}- ${inline(item)}`];
      return [`${indent}- ${nested[0]!.trimStart()}`, ...nested.slice(1)];
    }
    return nested ? [`${indent}${scalar(key)}:`, ...nested] : [`${indent}${scalar(key)}: ${inline(item)}`];
  });
}

/** One YAML document (no leading `---`), ending with a newline. */
export function toYaml(value: Yaml): string {
  const body = fitsOnOneLine(value) ? [inline(value)] : lines(value as Collection, '');
  return `${body.join('\n')}\n`;
}

/** Several documents in one file, separated by `---`. */
export function toYamlDocuments(values: readonly Yaml[]): string {
  return values.map(toYaml).join('---\n');
}

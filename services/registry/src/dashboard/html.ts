/**
 * HTML by construction: `html\`...\`` escapes every interpolated value unless it is
 * already SafeHtml (another html`` result, or `raw()` of a constant). Job data, error
 * messages, stacks, service names and hosts all come from outside — from heartbeats anyone
 * on the bus may send (HEARTBEAT_IS_UNAUTHENTICATED) and from job payloads — so nothing
 * reaches the page unescaped.
 *
 * Invariant UNTRUSTED_IS_ESCAPED: `&<>"'` and the backtick are escaped in text and in quoted
 * attribute values alike; arrays are joined after escaping each item; null and undefined
 * render as nothing. Never build markup with string concatenation outside this module.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

type Value = SafeHtml | string | number | boolean | null | undefined | ReadonlyArray<Value>;

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup the caller wrote itself (a constant). Never pass data through it. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A query string from defined values, each component encoded (the result still goes through html``). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Pretty JSON for a <pre>: escaped like any text by html``. */
export function prettyJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

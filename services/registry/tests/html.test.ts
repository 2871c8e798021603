/** UNTRUSTED_IS_ESCAPED: what html`` does with hostile text, in text and in attributes. */
import { expect, test } from 'vitest';
import { html, query, raw } from '../src/dashboard/html.js';

test('interpolated text is escaped everywhere; only SafeHtml passes through', () => {
  const hostile = `<img src=x onerror="alert(1)"> ' \` & </pre>`;
  const out = html`<p title="${hostile}">${hostile}</p>${[hostile, html`<b>${hostile}</b>`]}`.value;
  expect(out).not.toContain('<img');
  expect(out).not.toContain('"alert');
  expect(out).not.toContain('</pre>');
  expect(out).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#39; &#96; &amp; &lt;/pre&gt;');
  expect(out.match(/<b>/g)).toHaveLength(1);
  expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
  expect(html`${raw('<hr>')}`.value).toBe('<hr>');
});

test('query() encodes each component and drops empty values', () => {
  expect(query({ queue: 'a&b=c', state: '', cursor: undefined, n: 5 })).toBe('?queue=a%26b%3Dc&n=5');
  expect(query({})).toBe('');
});

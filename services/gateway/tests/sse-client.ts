/**
 * A minimal server-sent events client over fetch for tests: what a browser's EventSource
 * parses (event, id, data; `:` comments), with the response status for refusals.
 */

// biome-ignore lint/suspicious/noExplicitAny: event payloads are read field by field; each test asserts the shape it reads.
export type Payload = any;

export interface SseMessage {
  event: string;
  id?: string;
  data: Payload;
}

export interface SseConnection {
  status: number;
  headers: Headers;
  /** The problem+json body of a refused stream. */
  problem?: Payload;
  /** Every message so far, comments as `{ event: 'comment', data: text }`. */
  readonly messages: SseMessage[];
  /** The next message matching `predicate` (default: any), from the ones not yet taken. */
  next(predicate?: (message: SseMessage) => boolean): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

function parseBlock(block: string): SseMessage | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) return { event: 'comment', data: line.slice(1).trim() };
    const at = line.indexOf(':');
    const field = at < 0 ? line : line.slice(0, at);
    const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined; // `retry:` only
  const text = data.join('\n');
  let parsed: Payload = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { event, id, data: parsed };
}

export async function openStream(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const messages: SseMessage[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  let done = false;
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  if (res.status !== 200) {
    const problem = await res.json();
    return {
      status: res.status,
      headers: res.headers,
      problem,
      messages,
      next: () => Promise.reject(new Error(`the stream was refused with ${res.status}`)),
      ended: Promise.resolve(),
      close: () => abort.abort(),
    };
  }
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const message = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (message) messages.push(message);
          end = buffer.indexOf('\n\n');
        }
        wake();
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      wake();
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    messages,
    ended,
    close: () => abort.abort(),
    next(predicate = () => true) {
      return new Promise((resolve, reject) => {
        const check = () => {
          while (taken < messages.length) {
            const message = messages[taken++]!;
            if (predicate(message)) {
              waiters.delete(check);
              resolve(message);
              return;
            }
          }
          if (done) {
            waiters.delete(check);
            reject(new Error('the stream ended before the expected message'));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * Test helper for the end-to-end files: a webhook receiver on node:http (port 0) standing
 * in for the customer's endpoint that NOTIFICATIONS_WEBHOOK_URL names. It keeps every
 * request with its raw body and answers each one by a per-user plan (the welcome names its
 * user in `data.user.email`), so one platform can serve a user whose welcome succeeds, one
 * whose receiver fails twice, one always failing, and one whose delivery is held open.
 *
 * Not here: checking signatures — the tests do that with the exported helper
 * (`@bosun/service-notifications/webhook-signature`), as a real receiver would.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Exactly the bytes received, as a receiver must verify them. */
  body: string;
  /** `data.user.email` of a welcome body; undefined for anything else. */
  email?: string;
}

/** One answer: an HTTP status, or 'hold' to keep the request open (a slow receiver). */
export type Answer = number | 'hold';

export interface WelcomeReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Requests for one user, in arrival order. */
  requestsFor(email: string): ReceivedRequest[];
  /** Answers for `email`'s requests in order (the last repeats); a user with no plan gets 200. */
  plan(email: string, answers: Answer[]): void;
  /** Responses held open by a 'hold' answer. */
  held: ServerResponse[];
  close(): Promise<void>;
}

function emailOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { data?: { user?: { email?: string } } }).data?.user?.email;
  } catch {
    return undefined;
  }
}

export async function startWelcomeReceiver(): Promise<WelcomeReceiver> {
  const requests: ReceivedRequest[] = [];
  const held: ServerResponse[] = [];
  const plans = new Map<string, Answer[]>();
  const requestsFor = (email: string) => requests.filter((r) => r.email === email);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        email: emailOf(body),
      };
      requests.push(received);
      const plan = received.email === undefined ? undefined : plans.get(received.email);
      const n = received.email === undefined ? 0 : requestsFor(received.email).length - 1;
      const answer = plan ? (plan[Math.min(n, plan.length - 1)] ?? 200) : 200;
      if (answer === 'hold') held.push(res);
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end(`answer ${answer}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/welcome`,
    requests,
    requestsFor,
    plan: (email, answers) => void plans.set(email, answers),
    held,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

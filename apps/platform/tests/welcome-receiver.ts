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
import type { ServerResponse } from 'node:http';
import {
  type ReceivedRequest as RawRequest,
  startReceiver,
} from '../../../services/notifications/tests/webhook-receiver.js';

export interface ReceivedRequest extends RawRequest {
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

/** notifications' own test receiver, answering by a per-user plan instead of by request number. */
export async function startWelcomeReceiver(): Promise<WelcomeReceiver> {
  const requests: ReceivedRequest[] = [];
  const plans = new Map<string, Answer[]>();
  const requestsFor = (email: string) => requests.filter((r) => r.email === email);
  const receiver = await startReceiver((_n, raw) => {
    const received: ReceivedRequest = { ...raw, email: emailOf(raw.body) };
    requests.push(received);
    if (received.email === undefined) return 200;
    const plan = plans.get(received.email);
    const n = requestsFor(received.email).length - 1;
    return plan ? (plan[Math.min(n, plan.length - 1)] ?? 200) : 200;
  });
  return {
    url: receiver.url,
    requests,
    requestsFor,
    plan: (email, answers) => void plans.set(email, answers),
    held: receiver.held,
    close: () => receiver.close(),
  };
}

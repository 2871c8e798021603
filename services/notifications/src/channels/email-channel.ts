/**
 * The email channel: one message over SMTP (nodemailer) per attempt, when SMTP_URL is set.
 *
 * Invariants:
 * - OUTBOUND_IS_BOUNDED: connection, greeting and socket timeouts are the delivery timeout,
 *   and the whole send is raced against it (and against the stop signal).
 * - SMTP_URL_NEVER_LOGGED: the URL (it may carry a password) is handed to nodemailer only;
 *   errors keep the SMTP reply code and nodemailer's error code, never the URL.
 * One transport per SMTP_URL, reused across attempts (it opens a connection per message).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { type AttemptSignals, type DeliveryResult, describeError } from './delivery-result.js';

export interface EmailMessage {
  smtpUrl: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  notificationId: string;
}

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string, timeoutMs: number): Transporter {
  const key = `${timeoutMs}|${smtpUrl}`;
  let t = transports.get(key);
  if (!t) {
    t = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
    } as never);
    transports.set(key, t);
  }
  return t;
}

const replyCode = (response: unknown): number | null => {
  const m = typeof response === 'string' ? /^(\d{3})/.exec(response) : null;
  return m ? Number(m[1]) : null;
};

export async function sendEmail(message: EmailMessage, signals: AttemptSignals): Promise<DeliveryResult> {
  const transport = transportFor(message.smtpUrl, signals.timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const bounded = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
      signals.timeoutMs,
    );
    onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    signals.signal.addEventListener('abort', onAbort, { once: true });
  });
  bounded.catch(() => {});
  try {
    const info = (await Promise.race([
      transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { 'X-Bosun-Notification-Id': message.notificationId },
      }),
      bounded,
    ])) as { response?: string; rejected?: unknown[] };
    if (Array.isArray(info.rejected) && info.rejected.length > 0) {
      return {
        ok: false,
        statusCode: replyCode(info.response),
        error: 'the SMTP server rejected the recipient',
        interrupted: false,
      };
    }
    return { ok: true, statusCode: replyCode(info.response), error: null, interrupted: false };
  } catch (error) {
    if (signals.signal.aborted)
      return { ok: false, statusCode: null, error: 'interrupted: the process stopped', interrupted: true };
    const e = error as { responseCode?: number; code?: string; name?: string };
    if (e.responseCode)
      return {
        ok: false,
        statusCode: e.responseCode,
        error: `SMTP ${e.responseCode}${e.code ? ` (${e.code})` : ''}`,
        interrupted: false,
      };
    return {
      ok: false,
      statusCode: null,
      error: `SMTP ${describeError(error, signals.timeoutMs)}`,
      interrupted: false,
    };
  } finally {
    clearTimeout(timer);
    if (onAbort) signals.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Which platform events a user may watch through `GET /stream`: an allow-list of event
 * subject patterns (NATS style, relative to `<root>.events.`), each with the scope a user's
 * token must hold — `GATEWAY_STREAM_TOPICS=user.>=users:admin,order.*=orders:read`. The
 * scope `*` means any signed-in user.
 *
 * Not here: the bus subscription and delivery (event-fan-out.ts), the HTTP route (stream-route.ts).
 *
 * Invariants:
 * - STREAM_IS_DENY_BY_DEFAULT: an event whose subject matches no rule is never streamed, to
 *   anyone; services' events carry other users' data (`user.created` has an email), so opening
 *   a subject is a decision an operator writes down.
 * - TOPIC_NEEDS_ITS_SCOPE: a requested topic that no rule the user holds can ever match is
 *   refused at connect (403 BOSUN_FORBIDDEN naming the scope); and each event is checked again
 *   against the rules by its real bus subject, so a wide topic (`>`) yields only what is allowed.
 */
import { coreErrors } from '@bosun/core';

export const ANY_USER = '*';

export interface TopicRule {
  pattern: string;
  scope: string;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** A subject pattern: tokens of [A-Za-z0-9_-], `*` for one token, `>` only last. Undefined when valid. */
export function patternProblem(pattern: string): string | undefined {
  const tokens = pattern.split('.');
  for (const [i, token] of tokens.entries()) {
    if (token === '>' && i === tokens.length - 1) continue;
    if (token === '*' || TOKEN.test(token)) continue;
    return `"${pattern}" is not a subject pattern (tokens of letters, digits, _ or -, "*" for one token, ">" last)`;
  }
  return undefined;
}

/** Does `pattern` match the concrete `subject`? */
export function matchesSubject(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/** Could some subject match both patterns? */
export function patternsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i++) {
    if (x[i] === '>' || y[i] === '>') return i < x.length && i < y.length;
    if (i >= x.length || i >= y.length) return x.length === y.length;
    if (x[i] !== '*' && y[i] !== '*' && x[i] !== y[i]) return false;
  }
}

/** Parses `pattern=scope,...`; throws with every bad entry named (the env schema reports it). */
export function parseTopicRules(text: string): TopicRule[] {
  const rules: TopicRule[] = [];
  const problems: string[] = [];
  for (const item of text.split(',').map((part) => part.trim())) {
    if (item === '') continue;
    const at = item.lastIndexOf('=');
    const pattern = item.slice(0, at).trim();
    const scope = item.slice(at + 1).trim();
    const problem = at <= 0 ? `"${item}" is not pattern=scope` : patternProblem(pattern);
    if (problem) problems.push(problem);
    else if (scope === '') problems.push(`"${item}" names no scope`);
    else rules.push({ pattern, scope });
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return rules;
}

export interface TopicPolicy {
  readonly rules: readonly TopicRule[];
  /** STREAM_IS_DENY_BY_DEFAULT + TOPIC_NEEDS_ITS_SCOPE, per event, by its bus subject. */
  allows(subject: string, scopes: readonly string[]): boolean;
  /** TOPIC_NEEDS_ITS_SCOPE at connect: throws BOSUN_FORBIDDEN for a topic nothing can ever allow. */
  assertTopic(topic: string, scopes: readonly string[]): void;
}

const holds = (rule: TopicRule, scopes: readonly string[]) =>
  rule.scope === ANY_USER || scopes.includes(rule.scope);

export function createTopicPolicy(rules: readonly TopicRule[]): TopicPolicy {
  return {
    rules,
    allows: (subject, scopes) =>
      rules.some((rule) => holds(rule, scopes) && matchesSubject(rule.pattern, subject)),
    assertTopic(topic, scopes) {
      if (rules.some((rule) => holds(rule, scopes) && patternsOverlap(rule.pattern, topic))) return;
      const needed = [...new Set(rules.filter((r) => patternsOverlap(r.pattern, topic)).map((r) => r.scope))];
      throw coreErrors.create(
        'BOSUN_FORBIDDEN',
        needed.length > 0
          ? `Streaming "${topic}" needs one of the scopes ${needed.join(', ')}; ask an administrator to grant one.`
          : `No event matching "${topic}" is streamed by this gateway (GATEWAY_STREAM_TOPICS opens subjects).`,
      );
    },
  };
}

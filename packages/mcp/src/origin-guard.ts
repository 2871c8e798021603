/**
 * Origin validation for the MCP endpoint, against DNS rebinding: a browser page on an
 * attacker's domain that resolves to 127.0.0.1 must not drive a local MCP server.
 *
 * Invariants:
 * - ORIGIN_IS_CHECKED: a request with an Origin header is refused (403
 *   BOSUN_MCP_ORIGIN_FORBIDDEN) unless the origin is listed or is localhost (any port,
 *   http or https; `allowLocalhost: false` turns that off). `Origin: null` is refused.
 * - Requests without an Origin header (CLI agents, servers) are not browser requests and pass.
 */

export interface OriginPolicy {
  /** Exact origins, e.g. `https://console.example.com`. */
  allowedOrigins?: string[];
  /** Allow http(s)://localhost, 127.0.0.1 and [::1] on any port. Default true. */
  allowLocalhost?: boolean;
}

const LOCALHOST = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

export function isOriginAllowed(origin: string | undefined, policy: OriginPolicy = {}): boolean {
  if (origin === undefined) return true;
  if (policy.allowedOrigins?.includes(origin)) return true;
  return policy.allowLocalhost !== false && LOCALHOST.test(origin);
}

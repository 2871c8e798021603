/**
 * The dashboard's routes on the registry's own HTTP app (mounted by the runtime's
 * extension hook, EXTENSIONS_MOUNT_BEFORE_LISTEN): pages, the live stream, local assets,
 * sign-in, and the retry/cancel/redrive actions. Every page and action calls the
 * registry's operations through core's invoke(), so the dashboard has no data path or
 * admin check of its own: the caller it hands to invoke comes from the admin cookie.
 *
 * Invariants:
 * - ACTIONS_ARE_CONFIRMED: an action runs only with `confirm=yes` in its body (htmx adds it
 *   after the browser's confirm dialog); without it the server answers a confirmation page.
 * - SAME_ORIGIN_POSTS: a POST whose Origin is another site, or that the browser marks
 *   cross-site, is refused (403) before anything runs; the cookie is SameSite=Strict too.
 * - UNTRUSTED_IS_ESCAPED (html.ts) and a CSP without inline script: escaped job data stays text.
 * - ASSETS_ARE_LOCAL: htmx is served from node_modules/htmx.org; no CDN at run time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AnyService, type Caller, coreErrors, invoke, type Logger, toBosunError } from '@bosun/core';
import type { ContextFactory } from '@bosun/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_COOKIE, type AdminAuth, COOKIE_MAX_AGE_SECONDS } from '../admin-auth.js';
import type { RegistryState } from '../registry-state.js';
import { html, type SafeHtml } from './html.js';
import { layout, type PageView, type Session } from './layout.js';
import { createLiveStreams, MAX_STREAMS } from './live-stream.js';
import { pageFor } from './page-router.js';
import { confirmPage, loginPage } from './pages/account-pages.js';
import type { PageContext } from './pages/page-context.js';

export interface DashboardOptions {
  service: AnyService;
  state: RegistryState;
  auth: AdminAuth;
  context: ContextFactory;
  log: Logger;
}

const require = createRequire(import.meta.url);
const asset = (path: string) => readFileSync(new URL(`./assets/${path}`, import.meta.url));
const ASSETS: Record<string, { body: Buffer; type: string }> = {
  'htmx.min.js': {
    body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')),
    type: 'text/javascript; charset=utf-8',
  },
  'dashboard.js': { body: asset('dashboard.js'), type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { body: asset('dashboard.css'), type: 'text/css; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer a form POST carries `Origin: null`.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

type Params = Record<string, string | undefined>;

const ACTIONS: Record<
  string,
  { operation: string; question: (target: string) => string; done: (target: string, out: never) => string }
> = {
  retry: {
    operation: 'retryJob',
    question: (id) => `Retry job #${id}?`,
    done: (id) => `Job #${id} is queued again.`,
  },
  cancel: {
    operation: 'cancelJob',
    question: (id) => `Cancel job #${id}?`,
    done: (id) => `Job #${id} is cancelled.`,
  },
  redrive: {
    operation: 'redriveDeadLetters',
    question: (queue) => `Move every waiting job of ${queue} back to the queue it failed on?`,
    done: (queue, out: { moved: number }) => `${out.moved} job(s) of ${queue} moved back.`,
  },
};

export async function mountDashboard(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const { auth, state } = options;
  const streams = createLiveStreams((error) =>
    options.log.warn({ err: error }, 'dashboard: live refresh failed'),
  );
  app.addHook('preClose', (done) => {
    streams.close();
    done();
  });

  const callerOf = (req: FastifyRequest): Caller => auth.cookieCaller(req.headers.cookie);
  const sessionOf = (caller: Caller): Session => ({
    adminEnabled: auth.enabled,
    admin: caller.user !== undefined,
  });

  function pageContext(req: FastifyRequest, params: Params): PageContext {
    const caller = callerOf(req);
    return {
      params,
      session: sessionOf(caller),
      run: <T>(operation: string, input: Record<string, unknown>) =>
        invoke(
          options.service,
          operation,
          input,
          options.context({ transport: 'http', requestId: req.id, caller }),
        ) as Promise<T>,
    };
  }

  function send(reply: FastifyReply, status: number, body: SafeHtml) {
    return reply.code(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(body.value);
  }

  function errorView(error: unknown): { status: number; view: PageView } {
    const e = toBosunError(error);
    return {
      status: e.status,
      view: {
        title: e.status === 404 ? 'Not found' : 'Something went wrong',
        live: html`<p class="flash bad" role="alert">${e.detail ?? e.title} <code>${e.code}</code></p>`,
      },
    };
  }

  const sameOrigin = (req: FastifyRequest): boolean => {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined) return site === 'same-origin' || site === 'none';
    const origin = req.headers.origin;
    if (!origin) return true;
    if (origin === 'null') return false;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };

  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    scope.get('/dashboard/assets/:file', async (req, reply) => {
      const file = ASSETS[(req.params as { file: string }).file];
      if (!file) return send(reply, 404, html`not found`);
      return reply
        .headers({ 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' })
        .type(file.type)
        .send(file.body);
    });

    const showPage = async (req: FastifyRequest, reply: FastifyReply) => {
      const path = req.url.split('?')[0]!.replace(/\/$/, '') || '/dashboard';
      const render = pageFor(path);
      const page = pageContext(req, req.query as Params);
      if (!render)
        return send(
          reply,
          404,
          layout(errorView(coreErrors.create('BOSUN_NOT_FOUND', `No dashboard page at ${path}.`)).view, {
            path,
            session: page.session,
          }),
        );
      try {
        const view = await render(page);
        return send(reply, 200, layout(view, { path, liveSrc: req.url, session: page.session }));
      } catch (error) {
        const { status, view } = errorView(error);
        return send(reply, status, layout(view, { path, session: page.session }));
      }
    };
    for (const path of [
      '/dashboard',
      '/dashboard/',
      '/dashboard/queues',
      '/dashboard/jobs',
      '/dashboard/jobs/:id',
      '/dashboard/dead-letters',
      '/dashboard/schedules',
    ]) {
      scope.get(path, showPage);
    }

    scope.get('/dashboard/live', { config: { longLived: true } }, async (req, reply) => {
      const src = String((req.query as Params).src ?? '');
      const url = new URL(src, 'http://dashboard.invalid');
      const render = src.startsWith('/dashboard') ? pageFor(url.pathname) : undefined;
      if (!render) return send(reply, 404, html`Not a dashboard page.`);
      if (streams.count >= MAX_STREAMS) return send(reply, 503, html`Too many live views open; retrying.`);
      const params = Object.fromEntries(url.searchParams);
      reply.hijack();
      streams.open(
        reply.raw,
        () => render(pageContext(req, params)),
        state.attached ? state.timings().refreshMs : 1000,
      );
    });

    scope.get('/dashboard/login', async (req, reply) => {
      const next = safeNext((req.query as Params).next);
      return send(
        reply,
        200,
        layout(loginPage({ next, enabled: auth.enabled }), {
          path: '/dashboard/login',
          session: sessionOf(callerOf(req)),
        }),
      );
    });

    scope.post('/dashboard/login', async (req, reply) => {
      if (!sameOrigin(req)) return send(reply, 403, html`Cross-site sign-in refused.`);
      const body = (req.body ?? {}) as Params;
      const next = safeNext(body.next);
      const cookie = body.token ? auth.signIn(body.token) : undefined;
      if (!cookie) {
        options.log.warn({ requestId: req.id }, 'dashboard: sign-in with a wrong token');
        const view = loginPage({
          next,
          enabled: auth.enabled,
          error: 'That is not the registry’s admin token.',
        });
        return send(reply, 401, layout(view, { path: '/dashboard/login', session: sessionOf({}) }));
      }
      const secure = req.protocol === 'https' ? '; Secure' : '';
      return reply
        .code(303)
        .header(
          'set-cookie',
          `${ADMIN_COOKIE}=${cookie}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_SECONDS}${secure}`,
        )
        .header('location', next)
        .send();
    });

    scope.post('/dashboard/logout', async (_req, reply) =>
      reply
        .code(303)
        .header('set-cookie', `${ADMIN_COOKIE}=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0`)
        .header('location', '/dashboard')
        .send(),
    );

    const act =
      (kind: keyof typeof ACTIONS, target: (req: FastifyRequest) => string, back: (t: string) => string) =>
      async (req: FastifyRequest, reply: FastifyReply) => {
        const action = ACTIONS[kind]!;
        const id = target(req);
        const htmx = req.headers['hx-request'] === 'true';
        if (!sameOrigin(req)) return send(reply, 403, html`Cross-site action refused.`);
        const page = pageContext(req, {});
        if ((req.body as Params | undefined)?.confirm !== 'yes') {
          const view = confirmPage({ action: req.url, question: action.question(id), back: back(id) });
          return send(reply, 200, layout(view, { path: back(id), session: page.session }));
        }
        try {
          const input = kind === 'redrive' ? { queue: id } : { id };
          const out = await page.run(action.operation, input);
          const message = html`<p class="flash good" role="status">${action.done(id, out as never)}</p>`;
          if (htmx) return send(reply, 200, message);
          return reply.code(303).header('location', back(id)).send();
        } catch (error) {
          const e = toBosunError(error);
          const message = html`<p class="flash bad" role="alert">${e.detail ?? e.title} <code>${e.code}</code></p>`;
          // htmx swaps only 2xx answers: the refusal is shown in the flash area either way.
          if (htmx) return send(reply, 200, message);
          return send(
            reply,
            e.status,
            layout({ title: 'Not done', live: message }, { path: back(id), session: page.session }),
          );
        }
      };
    const jobId = (req: FastifyRequest) => (req.params as { id: string }).id;
    scope.post(
      '/dashboard/jobs/:id/retry',
      act('retry', jobId, (id) => `/dashboard/jobs/${id}`),
    );
    scope.post(
      '/dashboard/jobs/:id/cancel',
      act('cancel', jobId, (id) => `/dashboard/jobs/${id}`),
    );
    scope.post(
      '/dashboard/dead-letters/:queue/redrive',
      act(
        'redrive',
        (req) => (req.params as { queue: string }).queue,
        () => '/dashboard/dead-letters',
      ),
    );
  });
}

/** Only a dashboard path may follow sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/dashboard(\/[A-Za-z0-9/_-]*)?(\?[^\s]*)?$/.test(next) && !next.startsWith('//')
    ? next
    : '/dashboard';
}

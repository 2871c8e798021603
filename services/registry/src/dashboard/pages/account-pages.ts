/** The sign-in form (REGISTRY_ADMIN_TOKEN, typed once, kept as a derived cookie) and the no-script confirmation page. */
import { html } from '../html.js';
import type { PageView } from '../layout.js';

export function loginPage(options: { next: string; error?: string; enabled: boolean }): PageView {
  if (!options.enabled) {
    return {
      title: 'Sign in',
      live: html`<p class="empty">Actions are disabled: set REGISTRY_ADMIN_TOKEN (32+ characters) on the registry to enable them.</p>`,
    };
  }
  return {
    title: 'Sign in',
    live: html`<form method="post" action="/dashboard/login" class="login">
  ${options.error ? html`<p class="flash bad" role="alert">${options.error}</p>` : ''}
  <input type="hidden" name="next" value="${options.next}">
  <label>Admin token <input type="password" name="token" autocomplete="current-password" required minlength="32"></label>
  <button type="submit" class="primary">Sign in</button>
  <p class="muted small">The registry's REGISTRY_ADMIN_TOKEN. The browser keeps a derived cookie for 12 hours, never the token.</p>
</form>`,
  };
}

export function confirmPage(options: { action: string; question: string; back: string }): PageView {
  return {
    title: 'Confirm',
    live: html`<form method="post" action="${options.action}" class="confirm">
  <p>${options.question}</p>
  <input type="hidden" name="confirm" value="yes">
  <button type="submit" class="primary">Yes, do it</button> <a href="${options.back}">No, go back</a>
</form>`,
  };
}

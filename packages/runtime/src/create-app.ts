/**
 * createApp(): builds a process from service definitions (see compose-app.ts). Async so
 * the transports' code loads only when an app is built, not when @bosun/runtime is imported.
 */
import type { App, AppOptions } from './early-parts.js';

export async function createApp(options: AppOptions): Promise<App> {
  const { composeApp } = await import('./compose-app.js');
  return composeApp(options);
}

/**
 * runService(): what a service's `main.ts` calls. Loads the config from the env record
 * its `config.ts` passes, builds the app, installs the signal handlers on the process it
 * is given, and starts. A bad environment prints every bad variable and exits 1.
 *
 * Invariants: SIGNALS_ONLY_FROM_MAIN and EXIT_CODE_TELLS_THE_TRUTH (core's runMain).
 * @example
 * // src/main.ts
 * import { runService } from '@bosun/runtime';
 * import { env } from './config.js';
 * import { hello } from './service.js';
 * await runService({ services: [hello], env, process });
 */
import { type AnyService, type EnvRecord, flushLogger, type ProcessLike, runMain } from '@bosun/core';
import { loadAppConfig } from './app-config.js';
import { type App, type AppOptions, buildEarlyParts } from './early-parts.js';
import type { ServiceExtensions } from './service-extension.js';

export interface RunServiceOptions {
  services: AnyService | ReadonlyArray<AnyService>;
  env: EnvRecord;
  process: ProcessLike & { argv?: readonly string[] };
  dataDir?: string;
  /** Per service name: extra routes, REST caller identification, queue need (ServiceExtension). */
  extensions?: ServiceExtensions;
  /** Components beside the services (process-components.ts), e.g. the platform's gateway. */
  components?: AppOptions['components'];
  /** Service i's HTTP port is PORT + portOffset + i. Default 0. */
  portOffset?: number;
}

export async function runService(options: RunServiceOptions): Promise<App | undefined> {
  const services = Array.isArray(options.services) ? options.services : [options.services as AnyService];
  const mcpStdio = options.process.argv?.includes('--mcp-stdio') ?? false;
  let app: App | undefined;
  await runMain(
    async () => {
      const config = loadAppConfig(
        services,
        options.env,
        options.components?.env ? [options.components.env] : [],
      );
      // LIVEZ_BEFORE_TRANSPORTS: the health server listens before the transports' code loads.
      const early = buildEarlyParts({ services, config, mcpStdio });
      await early.health.start?.(new AbortController().signal);
      const { composeApp } = await import('./compose-app.js');
      const composed = composeApp({
        services,
        config,
        mcpStdio,
        dataDir: options.dataDir,
        early,
        extensions: options.extensions,
        components: options.components,
        portOffset: options.portOffset,
      });
      app = composed;
      return composed;
    },
    { process: options.process },
  );
  if (app && app.lifecycle.state === 'ready') {
    const urls = [
      ...[...app.http.values()].map((h) => h.url),
      ...(options.components?.urls?.() ?? []),
    ].filter(Boolean);
    app.log.info({ http: urls, health: app.health.url, mcp: urls.map((u) => `${u}/mcp`) }, 'serving');
    const started = app;
    // The MCP client closing stdin is this process's SIGTERM.
    void started.stdioClosed?.then(async () => {
      started.log.info('MCP stdio closed by the client: stopping');
      const result = await started.stop();
      await flushLogger(started.log);
      options.process.exit(result.ok ? 0 : 1);
    });
  }
  return app;
}

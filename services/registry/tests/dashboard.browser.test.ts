/**
 * The dashboard end to end in real headless Chromium (Debian `chromium` + playwright-core):
 * the registry and a worker service as processes on a real PostgreSQL and NATS. Jobs are
 * enqueued and the counts change without a reload; a failed job is opened (its XSS-laden
 * data rendered inert), retried from the UI after sign-in and a confirmation, and seen to
 * complete; dead letters are redriven; a killed instance turns stale. A screenshot of each
 * page lands in test-results/registry/ (gitignored).
 *
 * Under CI=true the browser must be there (.ci/run installs it); elsewhere the file skips
 * with a message when /usr/bin/chromium is missing.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { natsUrl, useTestDatabase } from '@bosun/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ADMIN_TOKEN,
  busRoot,
  dropStreams,
  enqueue,
  type Running,
  startRegistry,
  startWorker,
} from './platform.js';

const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
if (!haveBrowser && !inCi) {
  console.warn(
    `dashboard.browser.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium).`,
  );
}
const shots = fileURLToPath(new URL('../../../test-results/registry/', import.meta.url));

describe.skipIf((!haveBrowser && !inCi) || natsUrl() === undefined)('the dashboard in Chromium', () => {
  const db = useTestDatabase({ label: 'registry_ui' });
  const root = busRoot();
  let registry: Running;
  let worker: Running;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    worker = await startWorker(db.url, root);
    registry = await startRegistry(db.url, root);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    // A missing element fails the poll quickly instead of hanging each read for 30 s.
    page.setDefaultTimeout(2_000);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
  });

  afterAll(async () => {
    await browser?.close();
    registry?.proc.kill('SIGTERM');
    worker?.proc.kill('SIGTERM');
    await Promise.all([registry?.proc.exited, worker?.proc.exited]);
    await dropStreams(root);
  });

  const go = (path: string) => page.goto(`${registry.api}${path}`);
  const shot = (name: string) => page.screenshot({ path: `${shots}${name}.png`, fullPage: true });

  test('services and instances show live with health and versions', async () => {
    await go('/dashboard');
    const row = page.locator('[data-service="worker"] tbody tr').first();
    await row.waitFor();
    await expect.poll(() => row.locator('.badge').textContent()).toBe('ok');
    expect(await page.locator('[data-service="worker"] h2').textContent()).toContain('1.2.3');
    await expect.poll(() => page.locator('#live-status').textContent()).toBe('live');
    await shot('services');
  });

  test('queue counts change live as jobs are enqueued, without a reload', async () => {
    await go('/dashboard/queues');
    await page.evaluate('window.__sameDocument = true');
    await enqueue(
      worker.api,
      'ok',
      Array.from({ length: 12 }, (_, n) => ({ n })),
    );
    await enqueue(worker.api, 'flaky', [
      { n: 1, note: '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>' },
    ]);
    const completed = page.locator('tr[data-queue="ok"] td[data-state="completed"]');
    await expect.poll(() => completed.textContent(), { timeout: 15_000 }).toBe('12');
    await expect
      .poll(() => page.locator('tr[data-queue="flaky"] td[data-state="failed"]').textContent())
      .toBe('1');
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await shot('queues');
  });

  test('a failed job opens with its error and stack, and its hostile data renders as text', async () => {
    await go('/dashboard/jobs?queue=flaky&state=failed');
    await shot('jobs');
    await page.locator('tr[data-job] a').first().click();
    await page.waitForURL(/\/dashboard\/jobs\/\d+$/);
    expect(await page.locator('[data-field="state"]').textContent()).toBe('failed');
    expect(await page.locator('[data-field="error-message"]').textContent()).toBe(
      'flaky job 1 fails its first run on purpose',
    );
    expect(await page.locator('pre.stack').textContent()).toContain('worker-definition.ts');
    const data = page.locator('[data-field="data"]');
    const text = await data.textContent();
    expect(text).toContain('<img src=x onerror=\\"window.__xss=1\\">');
    expect(text).toContain('<script>window.__xss=2</script>');
    expect(await data.locator('img, script').count()).toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    await shot('job-failed');
  });

  test('retry from the UI: sign in, confirm, and the job completes live', async () => {
    const jobUrl = page.url();
    expect(await page.locator('button', { hasText: 'Retry' }).count()).toBe(0);
    await page.locator('#live a', { hasText: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard\/login/);
    await page.fill('input[name="token"]', 'not-the-token-but-long-enough-000000000');
    await page.click('button[type="submit"]');
    expect(await page.locator('.flash.bad').textContent()).toContain('not the registry');
    await shot('login');
    await page.fill('input[name="token"]', ADMIN_TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForURL(jobUrl);
    await page.locator('button', { hasText: 'Retry' }).click();
    await expect.poll(() => dialogs.at(-1)).toMatch(/^Retry job #\d+ \(flaky\)\?$/);
    await expect.poll(() => page.locator('#flash').textContent()).toContain('is queued again');
    await expect
      .poll(() => page.locator('[data-field="state"]').textContent(), { timeout: 15_000 })
      .toBe('completed');
    expect(await page.locator('[data-field="output"]').textContent()).toContain('"done": true');
    expect(await page.locator('button', { hasText: 'Retry' }).count()).toBe(0);
    await shot('job');
  });

  test('dead letters are listed and redriven after a confirmation', async () => {
    await enqueue(worker.api, 'doomed', [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await go('/dashboard/dead-letters');
    const waiting = page.locator('tr[data-queue="doomed-dlq"] td.n');
    await expect.poll(() => waiting.textContent(), { timeout: 15_000 }).toBe('3');
    await shot('dead-letters');
    await page.locator('tr[data-queue="doomed-dlq"] button', { hasText: 'Redrive' }).click();
    await expect.poll(() => dialogs.at(-1)).toContain('doomed-dlq');
    await expect
      .poll(() => page.locator('#flash').textContent())
      .toContain('3 job(s) of doomed-dlq moved back');
  });

  test('schedules show their next run', async () => {
    await go('/dashboard/schedules');
    const row = page.locator('tr[data-schedule="flaky/nightly"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('0 3 * * *');
    expect(await row.locator('time').last().getAttribute('datetime')).toMatch(/T03:00:00\.000Z$/);
    await shot('schedules');
  });

  test('a killed instance turns stale in the dashboard within two heartbeat intervals', async () => {
    const extra = await startWorker(db.url, root);
    const port = Number(new URL(extra.health).port);
    await go('/dashboard');
    const row = page.locator('[data-service="worker"] tr', { hasText: `health:${port}` });
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 15_000 }).toBe('ok');
    extra.proc.kill('SIGKILL');
    await extra.proc.exited;
    // The exact bound is checked over REST (registry.process.test.ts); here, that the page shows it live.
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 15_000 }).toBe('stale');
    await shot('services-stale');
  });

  test('the pages fit a phone screen without sideways scrolling', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      for (const path of ['/dashboard', '/dashboard/queues', '/dashboard/jobs?queue=flaky']) {
        await phone.goto(`${registry.api}${path}`);
        await phone.locator('#live').waitFor();
        expect(
          await phone.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'),
          path,
        ).toBe(true);
      }
      await phone.goto(`${registry.api}/dashboard/queues`);
      await phone.screenshot({ path: `${shots}queues-phone.png`, fullPage: true });
    } finally {
      await phone.close();
    }
  });
});

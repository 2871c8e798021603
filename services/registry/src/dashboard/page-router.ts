/**
 * Which page a dashboard path shows. One table for the page routes and for the live
 * stream, so the stream can only ever re-render a real page (LIVE_SRC_IS_A_PAGE).
 */
import type { PageView } from './layout.js';
import { deadLettersPage } from './pages/dead-letters-page.js';
import { jobPage } from './pages/job-page.js';
import { jobsPage } from './pages/jobs-page.js';
import type { PageContext } from './pages/page-context.js';
import { queuesPage } from './pages/queues-page.js';
import { schedulesPage } from './pages/schedules-page.js';
import { servicesPage } from './pages/services-page.js';

const STATIC: Record<string, (page: PageContext) => Promise<PageView>> = {
  '/dashboard': servicesPage,
  '/dashboard/queues': queuesPage,
  '/dashboard/jobs': jobsPage,
  '/dashboard/dead-letters': deadLettersPage,
  '/dashboard/schedules': schedulesPage,
};

const JOB = /^\/dashboard\/jobs\/([1-9][0-9]{0,18})$/;

/** The page for a path, or undefined when the path is not a page. */
export function pageFor(path: string): ((page: PageContext) => Promise<PageView>) | undefined {
  const fixed = STATIC[path];
  if (fixed) return fixed;
  const job = JOB.exec(path);
  if (job) {
    const id = job[1]!;
    return (page) => jobPage(page, id);
  }
  return undefined;
}

/** Types of tools/bundle.mjs for the TypeScript tests that call it. */
import type { Metafile } from 'esbuild';

export declare function bundleService(
  dir: string,
  options?: { quiet?: boolean; outdir?: string },
): Promise<{ outdir: string; metafile: Metafile }>;

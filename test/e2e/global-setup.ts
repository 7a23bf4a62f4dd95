/**
 * Serves the built site for every browser test. The site is built by the test
 * command before Playwright starts (`npm run build`); a missing build is an error,
 * not something to paper over here.
 */
import { existsSync } from 'node:fs';
import { serveStaticSite } from '../support/static-site.ts';

export default async function globalSetup() {
  if (!existsSync('dist/index.html')) throw new Error('dist/ has no built site: run `npm run build` first');
  const site = await serveStaticSite('dist');
  process.env.HARBOR_KB_SITE_URL = site.url;
  return async () => site.close();
}

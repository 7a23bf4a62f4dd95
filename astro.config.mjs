// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import expressiveCode from 'astro-expressive-code';
import { satteri } from '@astrojs/markdown-satteri';
import { sectionAnchors } from './src/lib/section-anchors.ts';
import { contentDir } from './src/lib/content/dir.ts';
import { pagefindIndex } from './src/integrations/pagefind-index.ts';
import { playbookBundles } from './src/integrations/playbook-bundles.ts';

export default defineConfig({
  // Where the site is served: the single-file playbook commands on each page point here.
  // Set SITE_URL when building for another server; the default is what `npm start` serves.
  site: process.env.SITE_URL ?? 'http://127.0.0.1:4321',
  trailingSlash: 'always',
  build: { format: 'directory' },
  // The site must work from an air-gapped file server: nothing is fetched at run time.
  prefetch: false,
  devToolbar: { enabled: false },
  // Scoped styles mark elements with a short class rather than a data-astro-cid-* attribute:
  // the same specificity in fewer bytes on every page, the search page above all.
  scopedStyleStrategy: 'class',
  // Test builds of fixture content trees keep their content cache apart from the site's.
  cacheDir: process.env.HARBOR_KB_CONTENT_DIR ? './node_modules/.astro-fixtures' : undefined,
  markdown: { processor: satteri({ hastPlugins: [sectionAnchors(contentDir())] }) },
  integrations: [expressiveCode(), mdx(), pagefindIndex(), playbookBundles()],
});

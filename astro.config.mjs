// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import expressiveCode from 'astro-expressive-code';
import { rehypeSectionAnchors } from './src/lib/rehype-section-anchors.ts';
import { contentDir } from './src/lib/content-dir.ts';
import { pagefindIndex } from './src/integrations/pagefind-index.ts';

export default defineConfig({
  trailingSlash: 'always',
  build: { format: 'directory' },
  // The site must work from an air-gapped file server: nothing is fetched at run time.
  prefetch: false,
  devToolbar: { enabled: false },
  integrations: [
    expressiveCode(),
    mdx({ rehypePlugins: [[rehypeSectionAnchors, { contentDir }]] }),
    pagefindIndex(),
  ],
});
